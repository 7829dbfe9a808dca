/**
 * A small home for the traffic tests and the speed measurement (not used by the simulator): devices,
 * network, and days of uses made by hand, so the tests do not depend on the life simulation.
 */
import type { DayOfLife, DeviceSpec, NetworkSpec, SimulatedUse } from '../types.js';
import type { DeviceKind } from '../../core/kinds.js';

export const TEST_NETWORK: NetworkSpec = {
  routerMac: '02:00:5e:10:00:01',
  routerIp: '192.168.1.1',
  publicIp: '203.0.113.7',
  ispMac: '02:00:5e:99:00:01',
  ispResolverIp: '198.51.100.53',
};

/** A lock, a light, a hub with a motion and a contact sensor, a camera and a plug. */
export const SMALL_HOME: readonly DeviceSpec[] = [
  { id: 'front-door', kind: 'lock', vendor: 'August', mac: '02:00:5e:10:00:10', ip: '192.168.1.20', hostname: 'August-Lock-4F2A' },
  { id: 'hall-light', kind: 'light', vendor: 'Tuya', mac: '02:00:5e:10:00:11', ip: '192.168.1.21', hostname: 'ESP_E67CDE' },
  { id: 'hub', kind: 'hub', vendor: 'Samsung SmartThings', mac: '02:00:5e:10:00:12', ip: '192.168.1.22' },
  { id: 'hall-motion', kind: 'motion', vendor: 'Samsung SmartThings', via: 'hub' },
  { id: 'back-door', kind: 'contact', vendor: 'Samsung SmartThings', via: 'hub' },
  { id: 'porch-cam', kind: 'camera', vendor: 'Blink', mac: '02:00:5e:10:00:13', ip: '192.168.1.23' },
  { id: 'kettle', kind: 'plug', vendor: 'TP-Link', mac: '02:00:5e:10:00:14', ip: '192.168.1.24', hostname: 'HS110', appliance: 'kettle' },
];

/** A family home of ten network devices (and two sensors), for the speed measurement. */
export const FAMILY_HOME: readonly DeviceSpec[] = [
  ...SMALL_HOME,
  { id: 'alarm', kind: 'alarm', vendor: 'SimpliSafe', mac: '02:00:5e:10:00:15', ip: '192.168.1.25' },
  { id: 'kitchen-speaker', kind: 'speaker', vendor: 'Amazon', mac: '02:00:5e:10:00:16', ip: '192.168.1.26', hostname: 'amazon-3a1f' },
  { id: 'thermostat', kind: 'thermostat', vendor: 'ecobee', mac: '02:00:5e:10:00:17', ip: '192.168.1.27' },
  { id: 'bedroom-light', kind: 'light', vendor: 'Philips Hue', mac: '02:00:5e:10:00:18', ip: '192.168.1.28', hostname: 'Philips-hue' },
  { id: 'garden-cam', kind: 'camera', vendor: 'Wyze', mac: '02:00:5e:10:00:19', ip: '192.168.1.29' },
];

/** 2026-11-02, a Monday, UTC midnight, in µs. */
export const MONDAY_US = Date.UTC(2026, 10, 2) * 1000;
export const DAY_US = 86_400e6;
const HOUR_US = 3_600e6;

function use(timeUs: number, device: string, kind: DeviceKind, action: string): SimulatedUse {
  return { timeUs, device, kind, action, cause: 'noise', resident: '' };
}

/** Day `n` after {@link MONDAY_US}: a morning and an evening of uses (one just before midnight). */
export function testDay(n: number, devices: readonly DeviceSpec[] = SMALL_HOME): DayOfLife {
  const start = MONDAY_US + n * DAY_US;
  const has = (id: string): boolean => devices.some((d) => d.id === id);
  const events = [
    use(start + 7 * HOUR_US, 'hall-light', 'light', 'on'),
    use(start + 7.1 * HOUR_US, 'hall-motion', 'motion', 'motion'),
    use(start + 8 * HOUR_US, 'hall-light', 'light', 'off'),
    use(start + 8.02 * HOUR_US, 'back-door', 'contact', 'open'),
    use(start + 8.03 * HOUR_US, 'back-door', 'contact', 'close'),
    use(start + 8.05 * HOUR_US, 'front-door', 'lock', 'lock'),
    use(start + 12 * HOUR_US, 'porch-cam', 'camera', 'motion_clip'),
    use(start + 17.5 * HOUR_US, 'front-door', 'lock', 'unlock'),
    use(start + 17.6 * HOUR_US, 'kettle', 'plug', 'on'),
    use(start + 17.7 * HOUR_US, 'kettle', 'plug', 'off'),
    use(start + 18 * HOUR_US, 'kitchen-speaker', 'speaker', 'voice_command'),
    use(start + 18.2 * HOUR_US, 'kitchen-speaker', 'speaker', 'play'),
    use(start + 18.5 * HOUR_US, 'kitchen-speaker', 'speaker', 'stop'),
    use(start + 19 * HOUR_US, 'thermostat', 'thermostat', 'setpoint'),
    use(start + 20 * HOUR_US, 'alarm', 'alarm', 'arm'),
    use(start + 20.5 * HOUR_US, 'bedroom-light', 'light', 'on'),
    use(start + 21 * HOUR_US, 'garden-cam', 'camera', 'live_view'),
    use(start + 22 * HOUR_US, 'alarm', 'alarm', 'disarm'),
    use(start + 23.5 * HOUR_US, 'bedroom-light', 'light', 'off'),
    use(start + DAY_US - 20e6, 'front-door', 'lock', 'lock'),
  ].filter((e) => has(e.device));
  return { dayStartUs: start, activities: [], events };
}
