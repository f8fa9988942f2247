import { NotificationState0000000100001 } from './0000000100001-state';
import { NotificationWaitlistEntries0000000100002 } from './0000000100002-waitlist-entries';
import { NotificationOpenByRecipient0000000100003 } from './0000000100003-open-by-recipient';
import { NotificationClientContact0000000100004 } from './0000000100004-client-contact';

export const notificationMigrations = [
  NotificationState0000000100001,
  NotificationWaitlistEntries0000000100002,
  NotificationOpenByRecipient0000000100003,
  NotificationClientContact0000000100004,
];
