/**
 * Tunnelling on a written capture, in WireGuard's wire format (UDP 51820: a handshake initiation of
 * 148 bytes and a response of 92 when a session starts and every two minutes of traffic, then each
 * packet as a transport-data message: a 16-byte header, the packet encrypted and padded to 16 bytes,
 * a 16-byte tag), and optionally shaped to a constant rate.
 *
 * Where the tunnel starts decides what it hides:
 * - `scope=home`: a box between the devices and the router (a VPN gateway) carries every device's
 *   traffic in one flow. The router's LAN sees one host, the box, talking to the tunnel's endpoint;
 *   what the devices said to each other or to the LAN (DHCP, ARP, mDNS) stays behind the box. Past
 *   NAT the WAN sees one flow from the home's address.
 * - `scope=device`: each device runs its own tunnel (LAN captures only: past NAT the devices cannot
 *   be told apart to give each its tunnel). The LAN still sees each device's MAC and address, talking
 *   only to the endpoint.
 *
 * The packets keep their sizes (a real tunnel lowers the devices' MSS by its 60 bytes of headers; a
 * full 1500-byte packet here makes a 1,574-byte frame). With `rate` > 0, every tunnel sends exactly
 * `rate` messages a second each way, each `size` bytes of UDP payload: a packet waits in a queue for
 * the next free slot, a larger one takes several slots, and an empty slot carries padding alone. The
 * delay that costs real packets is counted (frame-defence.ts `packetDelaysUs`).
 *
 * A Wi-Fi sniffer is not helped by either: it hears each device's own 802.11 frames to the access
 * point before any tunnel (and this module rewrites Ethernet captures only).
 */
import { parseIpv4, putU32le } from '../../core/bytes.js';
import { BadInputError } from '../../core/bad-input-error.js';
import { isGroupMac } from '../../observe/address.js';
import type { Random } from '../../core/random.js';
import type { FrameContext, FrameDefence } from './frame-defence.js';
import { buildFrame, cutFrame, ETHERNET_HEADER_BYTES, IPV4_HEADER_BYTES, parseFrame, PROTO_UDP, UDP_HEADER_BYTES, type FrameInfo } from './frame-bytes.js';
import type { HeldFrame } from './held-capture.js';

export const WIREGUARD_PORT = 51820;
const WG_INITIATION_BYTES = 148;
const WG_RESPONSE_BYTES = 92;
const WG_DATA_HEADER_BYTES = 16;
const WG_TAG_BYTES = 16;
const WG_PAD = 16;
/** WireGuard's REKEY_AFTER_TIME: a new handshake once a session is this old and packets are sent. */
const REKEY_US = 120e6;
const TTL = 64;
/** Outer headers a tunnelled packet gains: IPv4, UDP and WireGuard's data header and tag. */
export const TUNNEL_OVERHEAD_BYTES = IPV4_HEADER_BYTES + UDP_HEADER_BYTES + WG_DATA_HEADER_BYTES + WG_TAG_BYTES;
/** A shaped capture holding more frames than this is refused (every frame is held in memory). */
export const MAX_SHAPED_FRAMES = 1_000_000;

export interface TunnelOptions {
  readonly scope: 'home' | 'device';
  /** The endpoint's IPv4 address as text. */
  readonly endpoint: string;
  /** The box's MAC (scope home, LAN): a locally administered address by default. */
  readonly boxMac: number;
  /** Messages a second each way (0: not shaped) and each message's UDP payload bytes. */
  readonly rate: number;
  readonly size: number;
  /**
   * Count, do not build: every frame written is a shared stand-in with only its length on the wire
   * (for a sweep's cost of shaping, whose frames would not fit in memory at high rates).
   */
  readonly countOnly?: boolean;
}

/** A WireGuard message's UDP payload bytes for an inner packet of `inner` bytes. */
export function wireguardDataBytes(inner: number): number {
  return WG_DATA_HEADER_BYTES + Math.ceil(inner / WG_PAD) * WG_PAD + WG_TAG_BYTES;
}

/** One tunnel: its two ends as frames show them, its keys' counters, and (shaped) its queues. */
interface Tunnel {
  readonly homeMac: number;
  readonly farMac: number;
  readonly homeIp: number;
  readonly homePort: number;
  readonly receiver: [number, number];
  readonly counter: [number, number];
  lastHandshakeUs: number;
  /** Shaped: packets waiting each way. */
  readonly queue: [Pending[], Pending[]];
}

interface Pending {
  readonly timeUs: number;
  /** The message it makes (UDP payload bytes). */
  readonly bytes: number;
}

/** The MAC most often on the far side of traffic to and from outside addresses: the router (or, past NAT, the ISP). */
function gatewayMac(infos: readonly (FrameInfo | null)[]): number | null {
  const votes = new Map<number, number>();
  for (const info of infos) {
    if (info === null) continue;
    if (!info.dstLocal && !isGroupMac(info.dstMac)) votes.set(info.dstMac, (votes.get(info.dstMac) ?? 0) + 1);
    if (!info.srcLocal) votes.set(info.srcMac, (votes.get(info.srcMac) ?? 0) + 1);
  }
  let best: number | null = null;
  let most = 0;
  for (const [mac, n] of votes) if (n > most) ((best = mac), (most = n));
  return best;
}

/** The most common local IPv4 /24 of the home's frames, as a base (x.y.z.0), or 192.168.1.0. */
function homeSubnet(infos: readonly (FrameInfo | null)[]): number {
  const votes = new Map<number, number>();
  for (const info of infos) {
    if (info === null || info.ipv6) continue;
    for (const [ip, local] of [
      [info.srcIp, info.srcLocal],
      [info.dstIp, info.dstLocal],
    ] as const) {
      if (!local || ip.endsWith('.255') || ip === '0.0.0.0') continue;
      const base = (parseIpv4(ip) & 0xffffff00) >>> 0;
      votes.set(base, (votes.get(base) ?? 0) + 1);
    }
  }
  let best = parseIpv4('192.168.1.0');
  let most = 0;
  for (const [b, n] of votes) if (n > most) ((best = b), (most = n));
  return best;
}

export function tunnelFrames(options: TunnelOptions): FrameDefence {
  return {
    apply(frames: readonly HeldFrame[], context: FrameContext): HeldFrame[] {
      const infos = frames.map((f) => parseFrame(f.data, f.origLen));
      const lan = context.vantage === 'lan';
      if (!lan && options.scope === 'device') {
        throw new BadInputError(`${context.file}: a tunnel on each device needs a LAN capture (past NAT the devices cannot be told apart); use scope=home`, { file: context.file });
      }
      const gateway = gatewayMac(infos);
      if (gateway === null) throw new BadInputError(`${context.file}: no traffic to or from outside addresses: nothing to tunnel`, { file: context.file });
      const endpoint = parseIpv4(options.endpoint);
      const random = context.random;
      let snap: number | null = null;
      for (const f of frames) if (f.data.length < f.origLen && (snap === null || f.data.length > snap)) snap = f.data.length;
      // The home's address past NAT: the commonest address on the home's side of the gateway.
      const homeWanIp = lan ? 0 : mostCommonHomeIp(infos, gateway);
      const homeWanText = ipText(homeWanIp);
      const boxIp = (homeSubnet(infos) | 250) >>> 0;
      const tunnels = new Map<string, Tunnel>();
      const tunnelFor = (key: string, homeMac: number, farMac: number, homeIp: number): Tunnel => {
        let t = tunnels.get(key);
        if (t === undefined) {
          t = {
            homeMac,
            farMac,
            homeIp,
            homePort: tunnels.size === 0 ? WIREGUARD_PORT : random.int(49152, 65535),
            receiver: [random.int(1, 0xffff_ffff), random.int(1, 0xffff_ffff)],
            counter: [0, 0],
            lastHandshakeUs: -Infinity,
            queue: [[], []],
          };
          tunnels.set(key, t);
        }
        return t;
      };
      const out: HeldFrame[] = [];
      // Encrypted bytes: a block of random bytes, read at an offset that moves with each message.
      const noise = random.bytes(1 << 16);
      let noiseAt = 0;
      const carried = { frames: 0, bytes: 0 };
      const behind = { frames: 0, bytes: 0 };
      const wrapped = { frames: 0, bytes: 0 };
      const handshakes = { frames: 0, bytes: 0 };
      const standIns = new Map<number, HeldFrame>();
      const udpFrame = (t: Tunnel, up: boolean, timeUs: number, payload: Uint8Array): HeldFrame => {
        if (options.countOnly) {
          const len = ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES + UDP_HEADER_BYTES + payload.length;
          let f = standIns.get(len);
          if (f === undefined) standIns.set(len, (f = { timeUs: 0, subUsNs: 0, data: new Uint8Array(0), origLen: len }));
          return f;
        }
        const frame = buildFrame({
          srcMac: up ? t.homeMac : t.farMac,
          dstMac: up ? t.farMac : t.homeMac,
          srcIp: up ? t.homeIp : endpoint,
          dstIp: up ? endpoint : t.homeIp,
          ttl: TTL,
          ipId: t.counter[up ? 0 : 1] & 0xffff,
          proto: PROTO_UDP,
          srcPort: up ? t.homePort : WIREGUARD_PORT,
          dstPort: up ? WIREGUARD_PORT : t.homePort,
          payload,
        });
        return { timeUs: Math.round(timeUs), subUsNs: 0, ...cutFrame(frame, snap) };
      };
      const message = (t: Tunnel, up: boolean, timeUs: number, udpPayload: number): HeldFrame => {
        const dir = up ? 0 : 1;
        if (options.countOnly) {
          t.counter[dir]++;
          return udpFrame(t, up, timeUs, new Uint8Array(udpPayload));
        }
        const payload = new Uint8Array(udpPayload);
        for (let k = WG_DATA_HEADER_BYTES; k < udpPayload; ) {
          const n = Math.min(udpPayload - k, noise.length - noiseAt);
          payload.set(noise.subarray(noiseAt, noiseAt + n), k);
          k += n;
          noiseAt = (noiseAt + n + 7) % noise.length;
        }
        payload[0] = 4;
        payload[1] = payload[2] = payload[3] = 0;
        putU32le(payload, 4, t.receiver[1 - dir]);
        putU32le(payload, 8, t.counter[dir] >>> 0);
        putU32le(payload, 12, Math.floor(t.counter[dir] / 2 ** 32));
        const f = udpFrame(t, up, timeUs, payload);
        t.counter[dir]++;
        return f;
      };
      const handshake = (t: Tunnel, timeUs: number): void => {
        if (timeUs - t.lastHandshakeUs < REKEY_US) return;
        t.lastHandshakeUs = timeUs;
        for (const up of [true, false]) {
          const f = udpFrame(t, up, timeUs - (up ? 2000 : 1000), handshakeMessage(up ? 1 : 2, up ? WG_INITIATION_BYTES : WG_RESPONSE_BYTES, t, random));
          out.push(f);
          handshakes.frames++;
          handshakes.bytes += f.origLen;
        }
      };
      const send = (t: Tunnel, up: boolean, timeUs: number, inner: number): void => {
        if (options.rate > 0) {
          t.queue[up ? 0 : 1].push({ timeUs, bytes: wireguardDataBytes(inner) });
          return;
        }
        handshake(t, timeUs);
        const f = message(t, up, timeUs, wireguardDataBytes(inner));
        out.push(f);
        wrapped.frames++;
        wrapped.bytes += f.origLen;
      };
      const count = (a: { frames: number; bytes: number }, f: HeldFrame): void => {
        a.frames++;
        a.bytes += f.origLen;
      };

      frames.forEach((f, i) => {
        const info = infos[i];
        const macs = ethernetMacs(f.data);
        if (lan) {
          const fromGateway = macs.src === gateway;
          const toGateway = macs.dst === gateway;
          const device = fromGateway ? macs.dst : macs.src;
          const viaGateway = (fromGateway || toGateway) && !(fromGateway && toGateway) && !isGroupMac(device);
          if (viaGateway && info !== null) {
            // A device's IP traffic through the router: into its tunnel (the box's, or its own).
            const t = options.scope === 'home' ? tunnelFor('box', options.boxMac, gateway, boxIp) : tunnelFor(`dev-${device}`, device, gateway, ipv4Of(info, !fromGateway));
            send(t, !fromGateway, f.timeUs, info.ipEnd - info.ip);
            count(carried, f);
            return;
          }
          if (options.scope === 'home' && !fromGateway) {
            // What the devices say to each other, to the LAN, or to the router below IP (ARP): behind the box.
            count(behind, f);
            return;
          }
          out.push(f);
          return;
        }
        // WAN: the home's frames become the tunnel's.
        if (info === null || info.ipv6 || (info.srcIp !== homeWanText && info.dstIp !== homeWanText)) {
          out.push(f);
          return;
        }
        const up = info.srcIp === homeWanText;
        const t = tunnelFor('home', up ? macs.src : macs.dst, up ? macs.dst : macs.src, homeWanIp);
        send(t, up, f.timeUs, info.ipEnd - info.ip);
        count(carried, f);
      });

      if (options.rate > 0) {
        const firstUs = frames.length > 0 ? frames[0].timeUs : 0;
        const lastUs = frames.length > 0 ? frames[frames.length - 1].timeUs : 0;
        const shaped = shape([...tunnels.values()], options, firstUs, lastUs, message, context.ledger.packetDelaysUs);
        for (const f of shaped.frames) {
          out.push(f);
          wrapped.frames++;
          wrapped.bytes += f.origLen;
        }
        for (const t of tunnels.values()) for (const at of handshakeTimes(firstUs, shaped.endUs)) handshake(t, at);
        context.ledger.notes.push(`${shaped.padding} of ${shaped.frames.length} slots carried padding alone`);
      }
      context.ledger.add('frames carried in the tunnel', -carried.frames, -carried.bytes);
      context.ledger.add('frames left behind the box', -behind.frames, -behind.bytes);
      context.ledger.add('tunnel messages', wrapped.frames, wrapped.bytes);
      context.ledger.add('tunnel handshakes', handshakes.frames, handshakes.bytes);
      return out;
    },
  };
}

/** Handshake times of a shaped tunnel: one at the start and one every {@link REKEY_US} (it never stops sending). */
function handshakeTimes(firstUs: number, endUs: number): number[] {
  const out = [];
  for (let t = firstUs; t <= endUs; t += REKEY_US) out.push(t);
  return out;
}

/**
 * The shaped tunnels' messages: slots every 1/rate s each way (down half a slot after up), each
 * `size` bytes, filled from the queue (a message larger than a slot takes several), padding alone
 * when the queue is empty; until the capture's end and every queue is empty.
 */
function shape(
  tunnels: readonly Tunnel[],
  options: TunnelOptions,
  firstUs: number,
  lastUs: number,
  message: (t: Tunnel, up: boolean, timeUs: number, bytes: number) => HeldFrame,
  delays: number[],
): { frames: HeldFrame[]; padding: number; endUs: number } {
  const periodUs = 1e6 / options.rate;
  const frames: HeldFrame[] = [];
  let padding = 0;
  let endUs = lastUs;
  for (const t of tunnels) {
    for (const up of [true, false]) {
      const queue = t.queue[up ? 0 : 1];
      let q = 0;
      let left = queue.length > 0 ? queue[0].bytes : 0;
      let slot = firstUs + (up ? 0 : periodUs / 2);
      for (; slot <= lastUs || q < queue.length; slot += periodUs) {
        if (frames.length > MAX_SHAPED_FRAMES && !options.countOnly) {
          throw new BadInputError(`shaping to ${options.rate} messages a second would write more than ${MAX_SHAPED_FRAMES} frames: lower rate or defend a shorter capture`);
        }
        if (q < queue.length && queue[q].timeUs <= slot) {
          // The slot carries the next queued packet's bytes (part of them when larger than a slot).
          left -= options.size;
          if (left <= 0) {
            delays.push(slot - queue[q].timeUs);
            q++;
            left = q < queue.length ? queue[q].bytes : 0;
          }
        } else {
          padding++;
        }
        frames.push(message(t, up, slot, options.size));
      }
      endUs = Math.max(endUs, slot);
    }
  }
  return { frames, padding, endUs };
}

function handshakeMessage(type: number, bytes: number, t: Tunnel, random: Random): Uint8Array {
  const m = random.bytes(bytes);
  m[0] = type;
  m[1] = m[2] = m[3] = 0;
  putU32le(m, 4, t.receiver[type === 1 ? 0 : 1]);
  if (type === 2) putU32le(m, 8, t.receiver[0]);
  return m;
}

function ethernetMacs(data: Uint8Array): { src: number; dst: number } {
  const u48 = (o: number): number => data[o] * 2 ** 40 + data[o + 1] * 2 ** 32 + data[o + 2] * 2 ** 24 + data[o + 3] * 2 ** 16 + data[o + 4] * 2 ** 8 + data[o + 5];
  return { dst: u48(0), src: u48(6) };
}

function ipv4Of(info: FrameInfo, src: boolean): number {
  return info.ipv6 ? 0 : parseIpv4(src ? info.srcIp : info.dstIp);
}

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Past NAT: the address on the home's side of the gateway in most frames. */
function mostCommonHomeIp(infos: readonly (FrameInfo | null)[], gateway: number): number {
  const votes = new Map<string, number>();
  for (const info of infos) {
    if (info === null || info.ipv6) continue;
    const home = info.dstMac === gateway ? info.srcIp : info.srcMac === gateway ? info.dstIp : null;
    if (home !== null) votes.set(home, (votes.get(home) ?? 0) + 1);
  }
  let best = '0.0.0.0';
  let most = 0;
  for (const [ip, n] of votes) if (n > most) ((best = ip), (most = n));
  return parseIpv4(best);
}
