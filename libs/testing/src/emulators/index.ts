export * from './google/google-calendar-emulator';
export * from './microsoft/graph-calendar-emulator';
export * from './calendly/calendly-emulator';
