/** The tables of the schedules projection, which its apply functions write to. */
export type ScheduleTable = 'pros' | 'absences' | 'external_events' | 'calendars' | 'appointments';
