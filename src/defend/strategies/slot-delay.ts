/**
 * `slot-delay`: real uses are held back and sent only at fixed slot boundaries (every `slot`
 * minutes from midnight), so that the observer learns the slot of a use, not its minute. A use is held
 * only when its kind can wait that long: each kind has a latency budget (`budget.<kind>`, minutes), and
 * a use whose next boundary is further away than its kind's budget goes at once. A lock, an alarm or
 * a door contact cannot wait (budget 0 by default); a motion report or a thermostat's new setpoint
 * can. Nothing is added: the cost is the delay alone.
 */
import { ATTACK_KINDS, attackKind, type AttackKind } from '../../core/kinds.js';
import { defence, DAY_US, MINUTE_US, type Defence, type Strategy, type UseDefence } from '../strategy.js';
import { numberParam, type ParamSpec, type ParamValues } from '../params.js';

/**
 * Minutes each kind may wait by default. Assumptions, from what each device is for: a lock, an alarm,
 * a door contact (which arms and trips alarms), a camera's live view and a speaker's answer are
 * waited on by someone (0); a light or a plug switched from an app is waited on too, but its state
 * report after a switch at the wall is not (1 minute); a motion report feeds history and slow
 * automations (15); a thermostat's setpoint acts over an hour (30); anything else 5.
 */
export const DEFAULT_BUDGET_MINUTES: Readonly<Record<AttackKind, number>> = {
  lock: 0,
  door: 0,
  alarm: 0,
  camera: 0,
  speaker: 0,
  light: 1,
  plug: 1,
  motion: 15,
  thermostat: 30,
  other: 5,
};

const BUDGET_PARAMS: readonly ParamSpec[] = ATTACK_KINDS.map((k) => ({
  name: `budget.${k}`,
  description: `longest a ${k} use may wait`,
  unit: 'minutes',
  default: DEFAULT_BUDGET_MINUTES[k],
  min: 0,
  max: 1440,
}));

export const SLOT_DELAY: Strategy = {
  name: 'slot-delay',
  family: 'delay',
  summary: 'real uses held to the next slot boundary (every `slot` minutes) when their kind can wait that long',
  params: [{ name: 'slot', description: 'slot length (boundaries from midnight UTC)', unit: 'minutes', default: 30, min: 1, max: 1440 }, ...BUDGET_PARAMS],
  sweep: { param: 'slot', values: [5, 15, 30, 60, 120, 240] },
  create(params: ParamValues): Defence {
    const slotUs = numberParam(params, 'slot') * MINUTE_US;
    const budgetUs = new Map<AttackKind, number>(ATTACK_KINDS.map((k) => [k, numberParam(params, `budget.${k}`) * MINUTE_US]));
    const budget = (kind: string): number => budgetUs.get(attackKind(kind)) ?? 0;
    const uses: UseDefence = {
      open() {
        return {
          day(_dayStartUs, lived) {
            const timesUs = lived.map((u) => {
              // Boundaries every slot from the use's own midnight; the day's last slot ends at the next midnight.
              const midnight = Math.floor(u.timeUs / DAY_US) * DAY_US;
              const at = Math.round(Math.min(midnight + Math.ceil((u.timeUs - midnight) / slotUs) * slotUs, midnight + DAY_US));
              return at - u.timeUs <= budget(u.kind) ? at : u.timeUs;
            });
            return { timesUs, cover: [] };
          },
        };
      },
    };
    return defence('slot-delay', params, { uses, maxDelayUs: (kind) => Math.ceil(Math.min(slotUs, budget(kind))) });
  },
};
