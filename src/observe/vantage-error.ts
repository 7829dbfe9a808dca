/**
 * A capture a task cannot use, told from what its frames showed: no frame at all, no frame the
 * decoder could read (a link type it has no decoder for), no frame with an address to tell devices
 * by (neither a link address, Ethernet or 802.11, nor an IP address: 802.11 management frames only,
 * frames of a protocol other than IP), no device found in what it has, or a vantage the task cannot
 * work from. The message is one line: the file, what was found, and what the task needs.
 *
 * ```ts
 * // peephole: home.pcap: no frame could be decoded (link type 147, USER 0): devices needs a LAN, WAN or Wi-Fi capture (Ethernet, 802.11, raw IP, Linux cooked, PPPoE or loopback frames)
 * ```
 */
import { BadInputError } from '../core/bad-input-error.js';
import { linkTypeName } from '../core/link-type.js';
import type { Vantage } from '../core/vantage.js';
import type { CaptureSummary } from '../capture/reader.js';
import type { DeviceTable } from './device-table.js';

export class VantageError extends BadInputError {
  override readonly name = 'VantageError';
  declare readonly file: string;

  constructor(
    file: string,
    /** What the capture is, as the message says it. */
    readonly found: string,
    /** The task and what it needs. */
    readonly task: string,
    readonly needs: string,
  ) {
    super(`${file}: ${found}: ${task} needs ${needs}`, { file });
  }
}

const VANTAGE_NAMES: Readonly<Record<Vantage, string>> = { lan: 'LAN', wan: 'WAN', wifi: 'Wi-Fi' };

/** The vantages a task works from, and how its message says them. */
export function vantagesNeeded(vantages: readonly Vantage[]): string {
  const names = vantages.map((v) => VANTAGE_NAMES[v]);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return `a ${list} capture (Ethernet, 802.11, raw IP, Linux cooked, PPPoE or loopback frames)`;
}

function linkTypesText(capture: CaptureSummary): string {
  const types = capture.linkTypes.map((t) => `${t}, ${linkTypeName(t)}`);
  if (types.length === 0) return 'no link type';
  return types.length === 1 ? `link type ${types[0]}` : `link types ${types.join('; ')}`;
}

/**
 * Throws a {@link VantageError} when the frames the device table counted cannot give what the task
 * needs: devices told apart by link (MAC) or IP address, seen from one of `vantages`. `vantage` is
 * the one the report assumes: set by the caller (`vantageSet`), or told from the traffic. `devices`
 * is how many the report found: none from frames that had addresses is refused too, never an empty
 * answer.
 */
export function checkVantage(
  table: DeviceTable,
  capture: CaptureSummary,
  vantage: Vantage,
  vantages: readonly Vantage[],
  task: string,
  vantageSet: boolean,
  devices: number,
): void {
  const needs = vantagesNeeded(vantages);
  const fail = (found: string): never => {
    throw new VantageError(capture.file, found, task, needs);
  };
  if (table.frames === 0) fail('no frames');
  if (table.decodedFrames === 0) fail(`no frame could be decoded (${linkTypesText(capture)})`);
  if (table.ethernetFrames === 0 && table.addressKeyedFrames === 0 && table.wlanDataFrames === 0) {
    if (table.wifiFrames > 0) fail(`a Wi-Fi sniffer capture without data frames (${linkTypesText(capture)})`);
    fail(`no frame with a link or IP address (${linkTypesText(capture)})`);
  }
  if (!vantages.includes(vantage)) {
    const share = table.ipPackets === 0 ? 0 : Math.round((100 * table.localPackets) / table.ipPackets);
    const detected = vantage === 'wifi' ? `a Wi-Fi sniffer capture (${linkTypesText(capture)})` : `a ${VANTAGE_NAMES[vantage]} capture (${share} % of its IP packets have a home address)`;
    fail(vantageSet ? `read as a ${VANTAGE_NAMES[vantage]} capture (as set)` : detected);
  }
  if (devices === 0 && (vantage !== 'lan' || table.ethernetFrames === 0)) {
    fail(vantage === 'wan' ? 'a WAN capture with no flow of the home to cluster into devices' : `no device sent a frame (${linkTypesText(capture)})`);
  }
}
