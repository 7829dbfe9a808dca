/**
 * The packet seam (../seams.ts): stands between a device's traffic and the {@link Wire}, which puts
 * packets on the wire as the vantage sees them. Every packet is described to the transform as a
 * {@link DevicePacket}; what the transform makes of it (a larger payload, another far end) is what
 * the wire is given.
 *
 * A UDP datagram or a TCP segment without payload goes through {@link DeviceSeam.udp} and
 * {@link DeviceSeam.tcp}, the wire's own calls. TCP payload cannot: a TLS stream's records are
 * framed over the sizes of its segments, so DeviceTraffic asks the seam about every segment of a
 * message first ({@link DeviceSeam.decide}) and frames the bytes over the sizes it was given.
 */
import type { Random } from '../../core/random.js';
import type { DevicePacket, PacketTransform, PayloadKind } from '../seams.js';
import type { Flow, PacketOut, Wire } from './wire.js';

/** The most UDP payload in one 1500-byte IPv4 packet: 1500 - 20 (IPv4) - 8 (UDP). */
export const MAX_UDP_PAYLOAD_BYTES = 1472;
const DHCP_SERVER_PORT = 67;
const DHCP_CLIENT_PORT = 68;
const DNS_PORT = 53;
const NTP_PORT = 123;

/** The packet handed to the transform: one object, refilled for every packet. */
class Packet implements DevicePacket {
  device = '';
  timeUs = 0;
  up = false;
  protocol: 'tcp' | 'udp' = 'tcp';
  kind: PayloadKind = 'tcp-control';
  payloadBytes = 0;
  maxPayloadBytes = 0;
  remoteIp = 0;
  remotePort = 0;
}

/** A home's packet seam: its transform, the transform's generator, and the wire behind it. */
export class PacketSeam {
  private readonly packet = new Packet();
  /** Flows to another far end, by the flow the device sent on (the last one asked for). */
  private readonly moved = new WeakMap<Flow, Flow>();
  private buffer = new Uint8Array(MAX_UDP_PAYLOAD_BYTES);

  constructor(
    readonly wire: Wire,
    private readonly transform: PacketTransform,
    private readonly random: Random,
  ) {}

  /** The seam's front for one device. */
  device(id: string): DeviceSeam {
    return new DeviceSeam(this, id);
  }

  /** The payload length the transform gave the last packet {@link decide} was asked about. */
  payloadBytes = 0;

  /**
   * Asks the transform about one packet; returns the flow it goes on (`flow`, or a flow to the far
   * end the transform chose) and sets {@link payloadBytes}. Throws a RangeError when the transform
   * lowered the payload or raised it past its most.
   */
  decide(device: string, timeUs: number, flow: Flow, up: boolean, kind: PayloadKind, payloadBytes: number, maxPayloadBytes: number): Flow {
    const p = this.packet;
    p.device = device;
    p.timeUs = timeUs;
    p.up = up;
    p.protocol = flow.udp ? 'udp' : 'tcp';
    p.kind = kind;
    p.payloadBytes = payloadBytes;
    p.maxPayloadBytes = maxPayloadBytes;
    p.remoteIp = flow.lanPeerIp;
    p.remotePort = flow.peerPort;
    this.transform.transformPacket(p, this.random);
    const bytes = p.payloadBytes;
    if (!Number.isInteger(bytes) || bytes < payloadBytes || bytes > maxPayloadBytes) {
      const at = new Date(timeUs / 1000).toISOString();
      throw new RangeError(
        `packet transform: ${device}'s ${kind} packet at ${at} has ${payloadBytes} payload bytes and may have up to ${maxPayloadBytes}, not ${bytes}`,
      );
    }
    this.payloadBytes = bytes;
    if (p.remoteIp === flow.lanPeerIp && p.remotePort === flow.peerPort) return flow;
    const ip = p.remoteIp >>> 0;
    const port = p.remotePort;
    if (ip !== p.remoteIp || !Number.isInteger(port) || port < 0 || port > 0xffff) {
      throw new RangeError(`packet transform: ${device}'s far end ${p.remoteIp}:${port} is not an IPv4 address (as a number) and a port`);
    }
    const known = this.moved.get(flow);
    if (known !== undefined && known.lanPeerIp === ip && known.peerPort === port) return known;
    // The device addresses the new far end itself, so past NAT the WAN sees it too.
    const to: Flow = { ...flow, lanPeerIp: ip, wanPeerIp: ip, peerPort: port };
    this.moved.set(flow, to);
    return to;
  }

  /** `payload[0..len)` followed by zero bytes up to `bytes`, in the seam's buffer. */
  padded(payload: Uint8Array, len: number, bytes: number): Uint8Array {
    if (this.buffer.length < bytes) this.buffer = new Uint8Array(bytes);
    this.buffer.set(payload.subarray(0, len), 0);
    this.buffer.fill(0, len, bytes);
    return this.buffer;
  }
}

/** The kind of a UDP datagram of the simulator, by its far end's port. */
function udpKind(f: Flow): PayloadKind {
  if (f.peerPort === DNS_PORT) return 'dns';
  if (f.peerPort === DHCP_SERVER_PORT || f.peerPort === DHCP_CLIENT_PORT) return 'dhcp';
  if (f.peerPort === NTP_PORT) return 'ntp';
  throw new Error(`DeviceSeam.udp(): no payload kind for UDP port ${f.peerPort}`);
}

/** One device's front of the seam: the wire's calls for datagrams and TCP segments without payload. */
export class DeviceSeam implements PacketOut {
  constructor(
    private readonly seam: PacketSeam,
    readonly id: string,
  ) {}

  udp(timeUs: number, f: Flow, up: boolean, payload: Uint8Array, len: number): void {
    const seam = this.seam;
    const flow = seam.decide(this.id, timeUs, f, up, udpKind(f), len, MAX_UDP_PAYLOAD_BYTES);
    const bytes = seam.payloadBytes;
    seam.wire.udp(timeUs, flow, up, bytes === len ? payload : seam.padded(payload, len, bytes), bytes);
  }

  /** A TCP segment without payload (SYN, ACK, FIN): segments with payload go through {@link PacketSeam.decide}. */
  tcp(timeUs: number, f: Flow, up: boolean, seq: number, ack: number, flags: number, payload: Uint8Array, off: number, len: number): void {
    if (len !== 0) throw new Error('DeviceSeam.tcp(): a segment with payload is framed by its sender (PacketSeam.decide)');
    const flow = this.seam.decide(this.id, timeUs, f, up, 'tcp-control', 0, 0);
    this.seam.wire.tcp(timeUs, flow, up, seq, ack, flags, payload, off, 0);
  }
}
