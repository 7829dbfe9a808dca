/**
 * A small fixed home for tests: the published setup (a smart lock, a smart light and an alarm, one resident
 * on weekdays) seen from the home's router. Each device looks up its vendor's cloud name, keeps a TLS
 * connection to it with heartbeats at its own period, and sends a burst of encrypted records when the
 * resident uses it: waking up (light on), leaving (light off, door locked, alarm armed), coming back
 * (alarm disarmed, door unlocked, light on) and going to bed (light off, door locked).
 *
 * It needs nothing but the traffic writer, so low-level tests (device identification) use it; the
 * simulator (home/) is the general tool. MAC addresses are made up; names and sizes are plausible,
 * not measured.
 */
import { parseIpv4 } from '../../core/bytes.js';
import { Random } from '../../core/random.js';
import { SortingSink, TrafficWriter, type Endpoint, type FrameSink, type TcpConnection } from './traffic-writer.js';

export interface DemoDevice {
  readonly id: string;
  readonly kind: 'lock' | 'light' | 'alarm';
  readonly endpoint: Endpoint;
  readonly cloudName: string;
  readonly cloudAddress: string;
  readonly cloudPort: number;
  readonly heartbeatSeconds: number;
}

export interface DemoActivity {
  readonly timeUs: number;
  readonly activity: 'wake_up' | 'leave_home' | 'return_home' | 'leave_temporarily' | 'go_to_bed';
  readonly devices: readonly DemoDevice['kind'][];
}

export interface DemoHomeOptions {
  /** First day, UTC midnight, in seconds since the epoch (default 2026-11-02, a Monday). */
  startSec?: number;
  days?: number;
  seed?: number;
}

const ROUTER: Endpoint = { mac: 0x0200_5e10_0001, ip: parseIpv4('192.168.1.1') };
const DAY_US = 86_400e6;
const HOUR_US = 3_600e6;
/** Least time between two activities of a day. */
const MIN_GAP_US = 10 * 60e6;

export const DEMO_DEVICES: readonly DemoDevice[] = [
  { id: 'front-door-lock', kind: 'lock', endpoint: { mac: 0x0200_5e10_0010, ip: parseIpv4('192.168.1.20') }, cloudName: 'api-production.august.com', cloudAddress: '52.44.10.21', cloudPort: 443, heartbeatSeconds: 300 },
  { id: 'hall-light', kind: 'light', endpoint: { mac: 0x0200_5e10_0011, ip: parseIpv4('192.168.1.21') }, cloudName: 'a2.tuyaus.com', cloudAddress: '18.215.3.77', cloudPort: 8883, heartbeatSeconds: 60 },
  { id: 'alarm', kind: 'alarm', endpoint: { mac: 0x0200_5e10_0012, ip: parseIpv4('192.168.1.22') }, cloudName: 'api.simplisafe.com', cloudAddress: '54.203.77.9', cloudPort: 443, heartbeatSeconds: 120 },
];

/** The resident's weekday: [activity, mean hour, spread in minutes, devices used]. */
const WEEKDAY: readonly [DemoActivity['activity'], number, number, DemoDevice['kind'][]][] = [
  ['wake_up', 7, 20, ['light']],
  ['leave_home', 8.5, 15, ['light', 'lock', 'alarm']],
  ['return_home', 18, 40, ['alarm', 'lock', 'light']],
  ['leave_temporarily', 19.5, 30, ['lock']],
  ['return_home', 20.25, 20, ['lock']],
  ['go_to_bed', 23, 30, ['light', 'lock']],
];

/** The day's activities for a resident who works on weekdays and stays in at weekends. */
export function demoActivities(dayStartUs: number, random: Random): DemoActivity[] {
  const weekday = new Date(dayStartUs / 1000).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const plan = weekend ? WEEKDAY.filter(([a]) => a === 'wake_up' || a === 'go_to_bed').map(([a, h, s, d]): typeof WEEKDAY[number] => [a, h + 1.5, s, d]) : WEEKDAY;
  // The resident does one thing after another: a time drawn before the previous activity's is moved after it.
  let earliestUs = -Infinity;
  return plan.map(([activity, hour, spreadMin, devices]) => {
    const timeUs = Math.max(earliestUs, Math.round(dayStartUs + hour * HOUR_US + random.normal(0, spreadMin) * 60e6));
    earliestUs = timeUs + MIN_GAP_US;
    return { activity, timeUs, devices };
  });
}

/** Writes `days` days of the demo home to `out`; returns the activities (the ground truth). */
export function writeDemoHome(out: FrameSink, options: DemoHomeOptions = {}): DemoActivity[] {
  const seed = options.seed ?? 1;
  const days = options.days ?? 3;
  const start = (options.startSec ?? Date.UTC(2026, 10, 2) / 1000) * 1e6;
  const sink = new SortingSink(out);
  const w = new TrafficWriter(sink, seed);
  const random = new Random(seed ^ 0x5eed);
  const cloud = (d: DemoDevice): Endpoint => ({ mac: ROUTER.mac, ip: parseIpv4(d.cloudAddress) });
  const truth: DemoActivity[] = [];
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * DAY_US;
    const dayEnd = dayStart + DAY_US;
    const activities = demoActivities(dayStart, random);
    truth.push(...activities);
    for (const d of DEMO_DEVICES) {
      // Reconnect at the start of the day: look the cloud up, open TLS, then heartbeats and uses.
      let t = dayStart + random.int(0, 30e6);
      t = w.dnsLookup(t, d.endpoint, ROUTER, d.cloudName, { addresses: [d.cloudAddress], ttl: 600 });
      const c = openTls(w, t, d, cloud(d));
      const uses = activities.filter((a) => a.devices.includes(d.kind)).map((a) => a.timeUs + random.int(5e6, 90e6));
      // Noise: a use with no activity behind it, now and then.
      if (random.next() < 0.3) uses.push(dayStart + random.int(10, 22) * HOUR_US + random.int(0, 3600e6));
      uses.sort((a, b) => a - b);
      let next = c.timeUs + d.heartbeatSeconds * 1e6;
      let u = 0;
      while (true) {
        // Heartbeats stop a minute before the day ends; every use of the day is written, also one
        // after midnight (a weekend bedtime), so that each activity of the ground truth has traffic.
        const heartbeatDue = next < dayEnd - 60e6;
        const useFirst = u < uses.length && (uses[u] < next || !heartbeatDue);
        if (!useFirst && !heartbeatDue) break;
        const at = useFirst ? uses[u] : next;
        c.timeUs = Math.max(at, c.timeUs);
        if (useFirst) {
          usageBurst(w, c);
          u++;
        } else {
          heartbeat(w, c);
          next = at + (d.heartbeatSeconds + random.normal(0, 2)) * 1e6;
        }
      }
      c.close();
    }
    sink.flushBefore(Math.floor(dayEnd / 1e6) - 1);
  }
  sink.flush();
  return truth;
}

function openTls(w: TrafficWriter, t: number, d: DemoDevice, server: Endpoint): TcpConnection {
  // A TLS session left open: the ClientHello names the cloud; records follow at each heartbeat.
  const c = w.connect(t, d.endpoint, server, d.cloudPort);
  c.send(true, w.clientHello(d.cloudName));
  c.wait(30_000);
  c.send(false, w.serverFlight());
  return c;
}

function heartbeat(w: TrafficWriter, c: TcpConnection): void {
  c.send(true, w.appData(w.random.int(40, 60)));
  c.wait(w.random.int(20_000, 60_000));
  c.send(false, w.appData(w.random.int(30, 50)));
}

function usageBurst(w: TrafficWriter, c: TcpConnection): void {
  for (let i = 0, n = w.random.int(3, 6); i < n; i++) {
    c.send(i % 2 === 1, w.appData(w.random.int(200, 900)));
    c.wait(w.random.int(50_000, 400_000));
  }
}
