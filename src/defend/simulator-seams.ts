/**
 * A defence at the simulator's seams (home/seams.ts): its use defence as the {@link UseTransform} (the
 * lived uses in, the uses the devices make out: real ones moved as the defence says, cover ones with
 * cause `cover`), and its packet transform as it is.
 *
 * ```ts
 * const ledger = new UseLedger();
 * simulateHome({ spec, source: 'family', days: 7, seed: 1, out, vantage: 'lan', format: 'pcapng', seams: simulatorSeams(defence, ledger) });
 * ledger.cover; // cover uses made
 * ```
 *
 * A new generator from the simulator starts a new run of the defence: `simulateHome()` gives one for
 * the whole home, `writePaperPreset()` one per scenario (each scenario is then defended on its own).
 */
import type { Random } from '../core/random.js';
import { DEVICE_ACTIONS } from '../core/kinds.js';
import type { HomeSpec } from '../home/spec.js';
import type { Seams, UseTransform } from '../home/seams.js';
import type { DayOfLife, SimulatedUse } from '../home/types.js';
import type { Defence, DefendedDevice } from './strategy.js';
import { CheckedUseRun, UseLedger } from './use-runner.js';

/** The devices of a spec as a use defence sees them: each with its kind's actions (a hub has none). */
export function specDevices(spec: HomeSpec): DefendedDevice[] {
  return spec.devices.map((d) => ({ id: d.id, kind: d.kind, actions: DEVICE_ACTIONS[d.kind] }));
}

/** The use transform that applies `defence`'s use defence, recording into `ledger`. */
export function defenceUseTransform(defence: Defence, ledger: UseLedger = new UseLedger()): UseTransform {
  let run: CheckedUseRun | null = null;
  let runRandom: Random | null = null;
  return {
    transformDay(day: DayOfLife, random: Random, home: HomeSpec): readonly SimulatedUse[] {
      if (run === null || random !== runRandom) {
        run = new CheckedUseRun(defence, specDevices(home), random, ledger);
        runRandom = random;
      }
      const made = run.day(day.dayStartUs, day.events);
      const kinds = new Map(home.devices.map((d) => [d.id, d.kind]));
      const out: SimulatedUse[] = day.events.map((e, i) => (made.timesUs[i] === e.timeUs ? e : { ...e, timeUs: made.timesUs[i] }));
      for (const c of made.cover) out.push({ timeUs: c.timeUs, device: c.device, kind: kinds.get(c.device)!, action: c.action, cause: 'cover', resident: '' });
      return out;
    },
  };
}

/** Both seams of a defence (either may be absent), its uses recorded into `ledger`. */
export function simulatorSeams(defence: Defence, ledger: UseLedger = new UseLedger()): Seams {
  return {
    ...(defence.uses !== null ? { uses: defenceUseTransform(defence, ledger) } : {}),
    ...(defence.packets !== null ? { packets: defence.packets } : {}),
  };
}
