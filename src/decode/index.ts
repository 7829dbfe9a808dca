/**
 * decode/: packets from capture records. `PacketDecoder` turns a record into a `Packet` whose layers
 * are a discriminated union keyed by `kind` (layer.ts); malformed input becomes named anomalies,
 * never an exception. The codecs of each layer (with their encoders, which the simulator uses) are
 * in link/, net/ and app/.
 */
export { PacketDecoder, PACKET_ANOMALIES, type Packet, type PacketDecoderOptions } from './packet.js';
export type { Layer, LayerKind } from './layer.js';
export type { Anomaly } from './anomaly.js';
export type { DecodeContext } from './context.js';
export * from './net/index.js';
export * from './app/index.js';
