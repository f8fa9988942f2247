/** Injection tokens of this service's own ports. */
export const MAILER = Symbol('MAILER');
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
export const NOTIFICATION_CONFIG = Symbol('NOTIFICATION_CONFIG');
