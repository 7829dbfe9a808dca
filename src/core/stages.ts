/**
 * The pipeline's stages, in the order data flows through them (docs/architecture.md). A module of the
 * library imports only from its own stage or a stage before it in this list; test/import-order.test.ts
 * reads every import under src/ and fails, naming the file and line, on one that runs against it.
 * Tests (`*.test.ts`) and test kits (`test-*.ts`) are not shipped and may import from any stage.
 */
export const STAGES = [
  'core', // the shared words (activities, kinds, vantages, device uses) and small utilities
  'capture', // pcap/pcapng records from bytes, and back
  'decode', // packets from records: layers, fields, reassembly; encoders for the simulator
  'observe', // what a capture shows: its summary, hosts, names, devices and their vendors
  'home', // the simulator: a home's life, its devices' traffic, each vantage's capture
  'uses', // device uses found in encrypted traffic, apart from background chatter
  'features', // feature rows from device uses: the published set and extended ones
  'model', // the dense-network trainer (native, wasm, js)
  'evaluate', // metrics, timeline matching, the published scenarios
  'attack', // presets, training, model folders, the residents' day
  'report', // text, tables and figures
  'defend', // defences against the observer (cover, padding, delay, tunnels), their cost, and how much they hide
  'study', // the whole study as one library call returning a structured result
  'cli', // one thin file per command
] as const;
export type Stage = (typeof STAGES)[number];
