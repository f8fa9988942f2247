import { type Language, formatMoment, formatTime, languageOf } from './language';

/** What a person reads: a subject, plain text and HTML for email, a short line for SMS. */
export interface Message {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export interface Reader {
  name: string;
  locale: string;
  timeZone: string;
}

export interface Appointment {
  serviceId: string;
  start: number;
  end: number;
  address: string | null;
  /** The other person: the Pro for a client, the client for a Pro. */
  withName: string;
}

export type MessageContent =
  | { template: 'invitation'; appointment: Appointment }
  | { template: 'update'; appointment: Appointment; previousStart: number; automatic: boolean }
  | { template: 'cancellation'; appointment: Appointment; reason: string }
  | { template: 'reminder'; appointment: Appointment }
  | { template: 'reauth_required'; connectionId: string; reason: string; link: string }
  | { template: 'conflict'; appointment: Appointment; alternatives: number; link: string }
  | {
      template: 'changed_outside';
      appointment: Appointment;
      change: 'moved' | 'deleted';
      link: string;
    }
  | {
      template: 'waitlist_offer';
      serviceId: string;
      start: number;
      end: number;
      expiresAt: number;
      link: string;
    };

interface Lines {
  subject: string;
  greeting: string;
  body: string[];
  link?: string;
  sms: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function when(appointment: Pick<Appointment, 'start' | 'end'>, reader: Reader): string {
  const start = formatMoment(appointment.start, reader.locale, reader.timeZone);
  const end = formatTime(appointment.end, reader.locale, reader.timeZone);
  return `${start} – ${end} (${reader.timeZone})`;
}

function where(appointment: Appointment, language: Language): string[] {
  if (!appointment.address) return [];
  return [language === 'nl' ? `Adres: ${appointment.address}` : `Address: ${appointment.address}`];
}

function dutch(content: MessageContent, reader: Reader): Lines {
  const greeting = `Beste ${reader.name},`;
  switch (content.template) {
    case 'invitation': {
      const at = when(content.appointment, reader);
      return {
        subject: `Afspraak bevestigd: ${content.appointment.serviceId}, ${at}`,
        greeting,
        body: [
          `Uw afspraak met ${content.appointment.withName} is bevestigd.`,
          `Wanneer: ${at}`,
          ...where(content.appointment, 'nl'),
          'De uitnodiging in de bijlage zet de afspraak in uw agenda.',
        ],
        sms: `Afspraak bevestigd met ${content.appointment.withName}: ${at}`,
      };
    }
    case 'update': {
      const at = when(content.appointment, reader);
      const before = formatMoment(content.previousStart, reader.locale, reader.timeZone);
      return {
        subject: `Afspraak verplaatst: ${at}`,
        greeting,
        body: [
          content.automatic
            ? `Uw afspraak met ${content.appointment.withName} is automatisch verplaatst omdat het oude tijdstip niet meer kon.`
            : `Uw afspraak met ${content.appointment.withName} is verplaatst.`,
          `Was: ${before}`,
          `Nu: ${at}`,
          ...where(content.appointment, 'nl'),
        ],
        sms: `Afspraak verplaatst naar ${at}`,
      };
    }
    case 'cancellation': {
      const at = when(content.appointment, reader);
      return {
        subject: `Afspraak geannuleerd: ${at}`,
        greeting,
        body: [
          `Uw afspraak met ${content.appointment.withName} op ${at} is geannuleerd.`,
          `Reden: ${content.reason}`,
        ],
        sms: `Afspraak op ${at} is geannuleerd`,
      };
    }
    case 'reminder': {
      const at = when(content.appointment, reader);
      return {
        subject: `Herinnering: afspraak ${at}`,
        greeting,
        body: [
          `Herinnering aan uw afspraak met ${content.appointment.withName}.`,
          `Wanneer: ${at}`,
          ...where(content.appointment, 'nl'),
        ],
        sms: `Herinnering: afspraak met ${content.appointment.withName} op ${at}`,
      };
    }
    case 'reauth_required':
      return {
        subject: 'Uw agendakoppeling moet opnieuw worden bevestigd',
        greeting,
        body: [
          'We kunnen uw agenda niet meer bijwerken: de koppeling moet opnieuw worden bevestigd.',
          `Oorzaak: ${content.reason}`,
        ],
        link: content.link,
        sms: `Uw agendakoppeling moet opnieuw worden bevestigd: ${content.link}`,
      };
    case 'conflict': {
      const at = when(content.appointment, reader);
      return {
        subject: `Conflict in uw agenda: afspraak ${at}`,
        greeting,
        body: [
          `Uw afspraak met ${content.appointment.withName} op ${at} botst met een andere afspraak in uw agenda.`,
          `Er zijn ${content.alternatives} andere tijden voorgesteld; kies er een of los het conflict op.`,
        ],
        link: content.link,
        sms: `Conflict in uw agenda op ${at}: ${content.link}`,
      };
    }
    case 'changed_outside': {
      const at = when(content.appointment, reader);
      const change = content.change === 'moved' ? 'verplaatst' : 'verwijderd';
      return {
        subject: `Afspraak in uw agenda teruggezet: ${at}`,
        greeting,
        body: [
          `U heeft uw afspraak met ${content.appointment.withName} in uw eigen agenda ${change}.`,
          `De afspraak blijft staan op ${at} en staat weer in uw agenda.`,
          'Wilt u uw wijziging toch houden? Kies dat via de link.',
        ],
        link: content.link,
        sms: `Afspraak op ${at} teruggezet in uw agenda: ${content.link}`,
      };
    }
    case 'waitlist_offer': {
      const at = when(content, reader);
      const until = formatMoment(content.expiresAt, reader.locale, reader.timeZone);
      return {
        subject: `Er is plek vrijgekomen: ${content.serviceId}, ${at}`,
        greeting,
        body: [
          `Er is een plek vrijgekomen waarop u wachtte: ${at}.`,
          `Dit aanbod geldt tot ${until}. Wilt u de afspraak? Accepteer via de link.`,
        ],
        link: content.link,
        sms: `Plek vrij op ${at}, geldig tot ${until}: ${content.link}`,
      };
    }
  }
}

function english(content: MessageContent, reader: Reader): Lines {
  const greeting = `Dear ${reader.name},`;
  switch (content.template) {
    case 'invitation': {
      const at = when(content.appointment, reader);
      return {
        subject: `Appointment confirmed: ${content.appointment.serviceId}, ${at}`,
        greeting,
        body: [
          `Your appointment with ${content.appointment.withName} is confirmed.`,
          `When: ${at}`,
          ...where(content.appointment, 'en'),
          'The attached invitation puts it in your calendar.',
        ],
        sms: `Appointment confirmed with ${content.appointment.withName}: ${at}`,
      };
    }
    case 'update': {
      const at = when(content.appointment, reader);
      const before = formatMoment(content.previousStart, reader.locale, reader.timeZone);
      return {
        subject: `Appointment moved: ${at}`,
        greeting,
        body: [
          content.automatic
            ? `Your appointment with ${content.appointment.withName} was moved automatically because the old time no longer worked.`
            : `Your appointment with ${content.appointment.withName} was moved.`,
          `Was: ${before}`,
          `Now: ${at}`,
          ...where(content.appointment, 'en'),
        ],
        sms: `Appointment moved to ${at}`,
      };
    }
    case 'cancellation': {
      const at = when(content.appointment, reader);
      return {
        subject: `Appointment cancelled: ${at}`,
        greeting,
        body: [
          `Your appointment with ${content.appointment.withName} on ${at} was cancelled.`,
          `Reason: ${content.reason}`,
        ],
        sms: `Appointment on ${at} was cancelled`,
      };
    }
    case 'reminder': {
      const at = when(content.appointment, reader);
      return {
        subject: `Reminder: appointment ${at}`,
        greeting,
        body: [
          `A reminder of your appointment with ${content.appointment.withName}.`,
          `When: ${at}`,
          ...where(content.appointment, 'en'),
        ],
        sms: `Reminder: appointment with ${content.appointment.withName} on ${at}`,
      };
    }
    case 'reauth_required':
      return {
        subject: 'Your calendar connection needs to be authorised again',
        greeting,
        body: [
          'We can no longer update your calendar: the connection needs to be authorised again.',
          `Cause: ${content.reason}`,
        ],
        link: content.link,
        sms: `Your calendar connection needs to be authorised again: ${content.link}`,
      };
    case 'conflict': {
      const at = when(content.appointment, reader);
      return {
        subject: `Calendar conflict: appointment ${at}`,
        greeting,
        body: [
          `Your appointment with ${content.appointment.withName} on ${at} clashes with another event in your calendar.`,
          `${content.alternatives} other times were proposed; pick one or resolve the conflict.`,
        ],
        link: content.link,
        sms: `Calendar conflict on ${at}: ${content.link}`,
      };
    }
    case 'changed_outside': {
      const at = when(content.appointment, reader);
      const change = content.change === 'moved' ? 'moved' : 'deleted';
      return {
        subject: `Appointment put back in your calendar: ${at}`,
        greeting,
        body: [
          `You ${change} your appointment with ${content.appointment.withName} in your own calendar.`,
          `The appointment stays at ${at} and is back in your calendar.`,
          'To keep your change instead, choose so through the link.',
        ],
        link: content.link,
        sms: `Appointment on ${at} put back in your calendar: ${content.link}`,
      };
    }
    case 'waitlist_offer': {
      const at = when(content, reader);
      const until = formatMoment(content.expiresAt, reader.locale, reader.timeZone);
      return {
        subject: `A slot you waited for is free: ${content.serviceId}, ${at}`,
        greeting,
        body: [
          `A slot you were waiting for has become free: ${at}.`,
          `This offer holds until ${until}. To take the appointment, accept it through the link.`,
        ],
        link: content.link,
        sms: `Slot free on ${at}, offer holds until ${until}: ${content.link}`,
      };
    }
  }
}

/** Renders a notification in the reader's language and zone. */
export function renderMessage(content: MessageContent, reader: Reader): Message {
  const lines = (languageOf(reader.locale) === 'nl' ? dutch : english)(content, reader);
  const textParts = [lines.greeting, '', ...lines.body, ...(lines.link ? ['', lines.link] : [])];
  const html = [
    `<p>${escapeHtml(lines.greeting)}</p>`,
    ...lines.body.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(lines.link
      ? [`<p><a href="${escapeHtml(lines.link)}">${escapeHtml(lines.link)}</a></p>`]
      : []),
  ].join('\n');
  return {
    subject: lines.subject,
    text: textParts.join('\n'),
    html: `<!doctype html><html><body>\n${html}\n</body></html>`,
    sms: lines.sms,
  };
}
