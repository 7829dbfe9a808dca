/** home/: the simulator. A home spec and a seed in; a labelled life and each vantage's capture out. */
export { simulateHome, ACTIVITIES_CSV_HEADER, EVENTS_CSV_HEADER, type SimulateOptions, type SimulateResult } from './simulate.js';
export { BUILTIN_HOMES, DEFAULT_START_DATE, loadHomeSpec, parseHomeSpec, checkHomeSpec, RANDOM_HOME_PREFIX, randomHomeSeed, type HomeSpec } from './spec.js';
export { simulateLife, type LifeOptions } from './life.js';
export { randomHome, randomHomeLives, randomHomeYaml, type RandomHomeLife, type RandomHomeLivesOptions } from './random-home.js';
export { loadHomeDistributions, parseHomeDistributions, type HomeDistributions } from './home-distributions.js';
export { SpecError } from './spec-error.js';
export type { ActivityRecord, DayOfLife, DeviceSpec, NetworkSpec, SimulatedUse } from './types.js';
export {
  NO_PACKET_TRANSFORM,
  NO_USE_TRANSFORM,
  type DevicePacket,
  type PacketTransform,
  type PayloadKind,
  type Seams,
  type UseTransform,
} from './seams.js';
