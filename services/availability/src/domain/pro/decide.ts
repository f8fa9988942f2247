import { RuleViolation } from '@cs/contracts';
import { evolve, initialPro, type Pro, type ProEvent, type ProSettings } from './pro';
import { type ProSettingsInput, settingsViolations } from './validate-settings';

export type ProCommand =
  | {
      type: 'configure_pro';
      proId: string;
      settings: ProSettingsInput;
      /** Whether the settings' territory has been configured; the handler looks it up. */
      territoryKnown: boolean;
    }
  | {
      type: 'add_absence';
      proId: string;
      absenceId: string;
      start: string;
      end: string;
      reason: string;
    }
  | { type: 'remove_absence'; proId: string; absenceId: string };

/** The absence to remove was never recorded, or is gone already. */
export class AbsenceNotFound extends Error {
  constructor(readonly absenceId: string) {
    super(`no absence ${absenceId}`);
    this.name = 'AbsenceNotFound';
  }
}

export function decide(command: ProCommand, state: Pro): ProEvent[] {
  switch (command.type) {
    case 'configure_pro': {
      const violations = settingsViolations(command.settings, command.territoryKnown);
      if (violations.length > 0) throw new RuleViolation(violations);
      const settings = command.settings as ProSettings;
      // Replacing settings with the same settings changes nothing, so it records nothing.
      if (
        state.status === 'configured' &&
        JSON.stringify(state.settings) === JSON.stringify(settings)
      )
        return [];
      return [{ type: 'pro.settings_replaced', data: { proId: command.proId, settings } }];
    }
    case 'add_absence': {
      const { proId, absenceId, start, end, reason } = command;
      if (Date.parse(end) <= Date.parse(start))
        throw new RuleViolation([{ field: 'end', message: 'must be after start' }]);
      if (state.absences[absenceId]) return [];
      return [{ type: 'pro.absence_added', data: { proId, absenceId, start, end, reason } }];
    }
    case 'remove_absence': {
      if (!state.absences[command.absenceId]) throw new AbsenceNotFound(command.absenceId);
      return [
        {
          type: 'pro.absence_removed',
          data: { proId: command.proId, absenceId: command.absenceId },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unhandled pro command ${JSON.stringify(unknown)}`);
    }
  }
}

export const proDecider = { initialState: initialPro, evolve, decide };
