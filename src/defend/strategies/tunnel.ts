/**
 * `tunnel`: every device's traffic in one encrypted flow to a tunnel's endpoint (WireGuard's wire
 * format), from a box between the devices and the router (`scope=home`) or from each device
 * (`scope=device`); frames/tunnel.ts says what each hides from which observer. Nothing is delayed;
 * the cost is the tunnel's headers (60 bytes a packet and its padding to 16) and its handshakes,
 * less what stays behind the box.
 */
import { parseMac } from '../../core/bytes.js';
import type { DeviceUse } from '../../core/device-use.js';
import { tunnelFrames } from '../frames/tunnel.js';
import { defence, type Defence, type Strategy } from '../strategy.js';
import { wordParam, type ParamValues } from '../params.js';

/** The tunnel's endpoint: an address of TEST-NET-2 (RFC 5737), standing for a VPN provider. */
export const TUNNEL_ENDPOINT = '198.51.100.200';
/** The box's MAC: locally administered (no vendor owns it). */
export const TUNNEL_BOX_MAC = '02:70:65:65:70:01';

/**
 * What an observer sees of the uses through a tunnel: from a box, every burst is the box's (one
 * device, of no known kind); from each device, each burst is still its device's, but no name says
 * what the device is (the names travel inside).
 */
export function tunnelView(scope: 'home' | 'device'): (uses: readonly DeviceUse[]) => DeviceUse[] {
  return (uses) => uses.map((u) => ({ timeUs: u.timeUs, device: scope === 'home' ? 'tunnel' : u.device, kind: 'other', ...(u.cause !== undefined ? { cause: u.cause } : {}) }));
}

export const TUNNEL: Strategy = {
  name: 'tunnel',
  family: 'hiding',
  summary: "every device's traffic in one encrypted flow (WireGuard's format) from a box at the router, or one from each device",
  params: [{ name: 'scope', description: 'home: one tunnel from a box before the router; device: one from each device', unit: '', default: 'home', choices: ['home', 'device'] }],
  sweep: null,
  untested:
    'no observer here splits a tunnel back into devices by the timing and sizes of its bursts, which TrafficSpy (CNS 2022) shows can be done to whole-home VPN traffic, so its privacy here is an upper estimate',
  create(params: ParamValues): Defence {
    const scope = wordParam(params, 'scope') as 'home' | 'device';
    return defence('tunnel', params, { frames: tunnelFrames({ scope, endpoint: TUNNEL_ENDPOINT, boxMac: parseMac(TUNNEL_BOX_MAC), rate: 0, size: 0 }), view: tunnelView(scope) });
  },
};
