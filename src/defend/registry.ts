/**
 * Every strategy by name, and combinations of them: `pad+random-cover` is padding and cover at once.
 * A combination's parameters are its parts' (`bucket=512`), or named with the part when two parts
 * share a name (`random-cover.perDay=8`). Its use defences run one after the other (the second sees
 * the real uses where the first put them, and leaves the first one's cover where it is), its packet
 * transforms likewise on each packet, and a real use may be delayed by the sum of the parts' budgets.
 */
import type { DeviceUse } from '../core/device-use.js';
import type { PacketTransform } from '../home/seams.js';
import type { FrameDefence } from './frames/frame-defence.js';
import type { HeldFrame } from './frames/held-capture.js';
import { DefenceParamError, resolveParams, type ParamSpec, type ParamValues } from './params.js';
import { defence, type CoverUse, type Defence, type Strategy, type UseDefence } from './strategy.js';
import { INJECT } from './strategies/inject.js';
import { PAD } from './strategies/pad.js';
import { RANDOM_COVER } from './strategies/random-cover.js';
import { SLOT_DELAY } from './strategies/slot-delay.js';
import { STOCHASTIC_PADDING } from './strategies/stochastic-padding.js';
import { TUNNEL } from './strategies/tunnel.js';
import { CONSTANT_RATE } from './strategies/constant-rate.js';
import { ENCRYPTED_DNS } from './strategies/encrypted-dns.js';
import { ECH } from './strategies/ech.js';

/** The strategies, in the order tables list them. */
export const STRATEGIES: readonly Strategy[] = [INJECT, RANDOM_COVER, STOCHASTIC_PADDING, SLOT_DELAY, PAD, CONSTANT_RATE, TUNNEL, ENCRYPTED_DNS, ECH];

const COMBINE = '+';

/** The strategy of a name (`a+b` for a combination); a DefenceParamError lists the names there are. */
export function findStrategy(name: string): Strategy[] {
  const parts = name.split(COMBINE).map((p) => p.trim());
  const found = parts.map((p) => {
    const s = STRATEGIES.find((x) => x.name === p);
    if (s === undefined) throw new DefenceParamError(`no strategy ${JSON.stringify(p)}: there are ${STRATEGIES.map((x) => x.name).join(', ')} (combine them with +)`);
    return s;
  });
  if (new Set(parts).size !== parts.length) throw new DefenceParamError(`${name} names a strategy twice`);
  return found;
}

/** A defence: the strategy `name` (or combination) with `given` parameters, the rest at their defaults. */
export function createDefence(name: string, given: Readonly<Record<string, string | number>> = {}): Defence {
  const parts = findStrategy(name);
  if (parts.length === 1) return parts[0].create(resolveParams(parts[0].name, parts[0].params, given));
  const split: Record<string, string | number>[] = parts.map(() => ({}));
  for (const [key, value] of Object.entries(given)) {
    const prefixed = parts.findIndex((p) => key.startsWith(`${p.name}.`));
    if (prefixed >= 0) {
      split[prefixed][key.slice(parts[prefixed].name.length + 1)] = value;
      continue;
    }
    const owners = parts.filter((p) => p.params.some((s) => s.name === key));
    if (owners.length === 0) throw new DefenceParamError(`${name} has no parameter ${JSON.stringify(key)}: it has ${combinedParams(parts).map((s) => s.name).join(', ')}`);
    if (owners.length > 1) throw new DefenceParamError(`${key} is a parameter of ${owners.map((p) => p.name).join(' and ')}: name one (${owners[0].name}.${key})`);
    split[parts.indexOf(owners[0])][key] = value;
  }
  return combine(parts.map((p, i) => p.create(resolveParams(p.name, p.params, split[i]))));
}

/**
 * The strategy a name stands for, a combination (`encrypted-dns+ech`) as one strategy: its parameters
 * its parts' (each named with its part), no sweep, and its family `cover` when a part adds cover (the
 * size-aware observer is then run), else its first part's.
 * What a sweep evaluates as one point.
 */
export function strategyOf(name: string): Strategy {
  const parts = findStrategy(name);
  if (parts.length === 1) return parts[0];
  const joined = parts.map((p) => p.name).join(COMBINE);
  return {
    name: joined,
    family: parts.some((p) => p.family === 'cover') ? 'cover' : parts[0].family,
    summary: parts.map((p) => `${p.name}: ${p.summary}`).join('; '),
    params: combinedParams(parts),
    sweep: null,
    ...(parts.some((p) => p.untested !== undefined) ? { untested: parts.flatMap((p) => (p.untested === undefined ? [] : [`${p.name}: ${p.untested}`])).join('; ') } : {}),
    create: (params) => createDefence(joined, params),
  };
}

/** A combination's parameters, each named with its part. */
export function combinedParams(parts: readonly Strategy[]): ParamSpec[] {
  return parts.flatMap((p) => p.params.map((s) => ({ ...s, name: `${p.name}.${s.name}` })));
}

/** Defences applied one after the other. */
export function combine(defences: readonly Defence[]): Defence {
  const name = defences.map((d) => d.strategy).join(COMBINE);
  const params: ParamValues = Object.fromEntries(defences.flatMap((d) => Object.entries(d.params).map(([k, v]) => [`${d.strategy}.${k}`, v])));
  const useParts = defences.filter((d) => d.uses !== null);
  const packetParts = defences.map((d) => d.packets).filter((p): p is PacketTransform => p !== null);
  const uses: UseDefence | null =
    useParts.length === 0
      ? null
      : {
          open(devices, random) {
            const runs = useParts.map((d) => d.uses!.open(devices, random));
            return {
              day(dayStartUs, lived) {
                let current = lived;
                const cover: CoverUse[] = [];
                for (const run of runs) {
                  const made = run.day(dayStartUs, current);
                  current = current.map((u, i) => (made.timesUs[i] === u.timeUs ? u : { ...u, timeUs: made.timesUs[i] }));
                  cover.push(...made.cover);
                }
                return { timesUs: current.map((u) => u.timeUs), cover };
              },
            };
          },
        };
  const packets: PacketTransform | null =
    packetParts.length === 0
      ? null
      : {
          transformPacket(p, random) {
            for (const t of packetParts) t.transformPacket(p, random);
          },
        };
  const onCapture = defences.map((d) => d.packetsOnCapture).filter((f): f is FrameDefence => f !== null);
  const frameParts = defences.map((d) => d.frames).filter((f): f is FrameDefence => f !== null);
  const views = defences.map((d) => d.view).filter((v): v is NonNullable<Defence['view']> => v !== null);
  const view = views.length === 0 ? null : (u: readonly DeviceUse[]) => views.reduce((seen, v) => v(seen), u as DeviceUse[]);
  return defence(name, params, { uses, packets, packetsOnCapture: chain(onCapture), frames: chain(frameParts), view, warmupDays: Math.max(0, ...defences.map((d) => d.warmupDays)), maxDelayUs: (kind) => defences.reduce((sum, d) => sum + d.maxDelayUs(kind), 0) });
}

/** Frame defences one after the other (each sees what the one before made); null for none. */
function chain(parts: readonly FrameDefence[]): FrameDefence | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0];
  return { apply: (frames, context) => parts.reduce((f, part) => part.apply(f, context), frames as HeldFrame[]) };
}
