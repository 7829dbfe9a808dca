/**
 * `constant-rate`: independent link padding (Apthorpe et al.): a tunnel (see `tunnel`) that sends
 * exactly `rate` messages a second each way, each `size` bytes, whatever the devices do: real packets
 * wait for a free slot (their delay is the cost a user feels), empty slots carry padding (the cost in
 * bytes). `scope=home` shapes the home's one tunnel, `scope=device` each device's own. The observer
 * sees the same stream every second; how long a burst takes to drain is what a slow rate costs.
 */
import { parseMac } from '../../core/bytes.js';
import { tunnelFrames, wireguardDataBytes } from '../frames/tunnel.js';
import type { FrameDefence } from '../frames/frame-defence.js';
import { defence, type Defence, type Strategy } from '../strategy.js';
import { numberParam, wordParam, type ParamValues } from '../params.js';
import { TUNNEL_BOX_MAC, TUNNEL_ENDPOINT } from './tunnel.js';

/** The largest message of a 1500-byte IPv4 path: 1500 - 20 - 8. */
const FULL_DATAGRAM = 1472;

/** The shaping tunnel of `params` (a constant-rate strategy's); `countOnly` counts its frames without building them. */
export function constantRateFrames(params: ParamValues, countOnly: boolean): FrameDefence {
  const scope = wordParam(params, 'scope') as 'home' | 'device';
  return tunnelFrames({ scope, endpoint: TUNNEL_ENDPOINT, boxMac: parseMac(TUNNEL_BOX_MAC), rate: numberParam(params, 'rate'), size: numberParam(params, 'size'), countOnly });
}

export const CONSTANT_RATE: Strategy = {
  name: 'constant-rate',
  family: 'shaping',
  summary: 'a tunnel sending `rate` messages of `size` bytes a second each way, always: real packets wait for a slot, empty slots carry padding',
  params: [
    { name: 'scope', description: 'home: the home shaped as one; device: each device shaped on its own', unit: '', default: 'home', choices: ['home', 'device'] },
    { name: 'rate', description: 'messages a second, each way', unit: 'per second', default: 1, min: 0.01, max: 1000 },
    { name: 'size', description: 'UDP payload of each message', unit: 'bytes', default: FULL_DATAGRAM, min: wireguardDataBytes(0) + 16, max: 9000, integer: true },
  ],
  sweep: { param: 'rate', values: [0.25, 0.5, 1, 2, 4, 8] },
  create(params: ParamValues): Defence {
    const frames = constantRateFrames(params, false);
    // The observer sees the same stream every second: no burst stands out as a use.
    return defence('constant-rate', params, { frames, view: () => [] });
  },
};
