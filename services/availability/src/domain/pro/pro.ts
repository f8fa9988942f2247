import type { GeoPoint } from '@cs/scheduling';
import type {
  EventData,
  proAbsenceAdded,
  proAbsenceRemoved,
  proSettingsReplaced,
} from '@cs/contracts';

/** As recorded: the home sealed under the Pro's key. */
export type ProSettings = EventData<typeof proSettingsReplaced>['settings'];
/** As the read model keeps them for the engine: the home opened, or null once erased. */
export type OpenedProSettings = Omit<ProSettings, 'homeLocation'> & {
  homeLocation: GeoPoint | null;
};
export type AbsenceAdded = EventData<typeof proAbsenceAdded>;

export type ProEvent =
  | { type: 'pro.settings_replaced'; data: EventData<typeof proSettingsReplaced> }
  | { type: 'pro.absence_added'; data: AbsenceAdded }
  | { type: 'pro.absence_removed'; data: EventData<typeof proAbsenceRemoved> };

export interface RecordedAbsence {
  readonly start: string;
  readonly end: string;
  readonly reason: string;
}

type Absences = Readonly<Record<string, RecordedAbsence>>;

/** Absences may be recorded before the Pro's settings exist (a closure planned ahead). */
export type Pro =
  | { status: 'unconfigured'; absences: Absences }
  | { status: 'configured'; settings: ProSettings; absences: Absences };

export const initialPro = (): Pro => ({ status: 'unconfigured', absences: {} });

export function evolve(state: Pro, event: ProEvent): Pro {
  switch (event.type) {
    case 'pro.settings_replaced':
      return { status: 'configured', settings: event.data.settings, absences: state.absences };
    case 'pro.absence_added': {
      const { absenceId, start, end, reason } = event.data;
      return { ...state, absences: { ...state.absences, [absenceId]: { start, end, reason } } };
    }
    case 'pro.absence_removed': {
      const { [event.data.absenceId]: _removed, ...absences } = state.absences;
      return { ...state, absences };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unhandled pro event ${JSON.stringify(unknown)}`);
    }
  }
}
