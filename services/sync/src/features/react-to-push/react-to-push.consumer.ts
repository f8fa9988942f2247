import type { calendarChangeNotified, EventData } from '@cs/contracts';
import type { ConsumerDefinition } from '@cs/eventing';
import { requestSync } from '../../infrastructure/calendar-rows';
import { announceDue } from './due-signal';

/**
 * A provider said a calendar changed (or that notifications were lost): the calendar is due
 * now, as a push-caused delta sync, and the schedulers are woken when this commits. A calendar
 * waiting for sign-in or switched off stays as it is.
 */
export const reactToPushConsumer: ConsumerDefinition = {
  name: 'sync-react-to-push',
  stream: 'connector',
  async handleEvent({ envelope }, tx) {
    if (envelope.type !== 'calendar.change_notified') return;
    const data = envelope.data as EventData<typeof calendarChangeNotified>;
    if ((await requestSync(tx, { calendarId: data.calendarId }, { cause: 'push' })) > 0)
      await announceDue(tx);
  },
};
