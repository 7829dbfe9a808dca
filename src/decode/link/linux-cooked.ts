/**
 * What Linux cooked captures v1 (`sll.ts`) and v2 (`sll2.ts`) share: the 8-byte link-layer address
 * field and the meaning of the protocol field, which depends on the ARPHRD_ type of the interface.
 */
import { putU48be, u48be } from '../../core/bytes.js';
import { ETHERTYPE_8023_LLC } from './ether-type.js';
import { bytesToHex, hexToBytes } from '../hex.js';

/** Bytes of the address field; shorter addresses are padded, longer ones cut. */
export const SLL_ADDRESS_FIELD_BYTES = 8;
const MAC_BYTES = 6;

/** `sll.pkttype` values. */
export const SLL_PACKET_TYPE = {
  HOST: 0,
  BROADCAST: 1,
  MULTICAST: 2,
  OTHERHOST: 3,
  OUTGOING: 4,
} as const;

/** ARPHRD_ types whose protocol field is not an EtherType or an `ETH_P_` value for 802.2 LLC. */
export const ARPHRD_ETHER = 1;
export const ARPHRD_IPGRE = 778;
export const ARPHRD_IEEE80211_RADIOTAP = 803;
export const ARPHRD_NETLINK = 824;

/** Protocol field values below 0x0600 that Linux uses for frames without an EtherType. */
export const LINUX_SLL_P_802_3 = 0x0001;
export const LINUX_SLL_P_802_2 = 0x0004;
export const LINUX_SLL_P_CAN = 0x000c;

/**
 * The `protocol` a cooked layer reports for the raw field: the raw value, except that `ETH_P_802_2`
 * (4: an 802.2 LLC header follows) becomes {@link ETHERTYPE_8023_LLC} on interfaces whose protocol
 * field uses `ETH_P_` values (not netlink, GRE or radiotap ones).
 */
export function sllProtocolFromField(arphrdType: number, field: number): number {
  if (
    field === LINUX_SLL_P_802_2 &&
    arphrdType !== ARPHRD_NETLINK &&
    arphrdType !== ARPHRD_IPGRE &&
    arphrdType !== ARPHRD_IEEE80211_RADIOTAP
  ) {
    return ETHERTYPE_8023_LLC;
  }
  return field;
}

/** The raw protocol field for a cooked layer's `protocol`. */
export function sllProtocolToField(protocol: number): number {
  return protocol === ETHERTYPE_8023_LLC ? LINUX_SLL_P_802_2 : protocol;
}

/**
 * The address in the 8-byte field at `b[o..]`: a 48-bit number when `addressLength` is 6, otherwise
 * the first `min(addressLength, 8)` bytes as lower-case hex.
 */
export function readSllAddress(b: Uint8Array, o: number, addressLength: number): number | string {
  if (addressLength === MAC_BYTES) return u48be(b, o);
  return bytesToHex(b, o, o + (addressLength < SLL_ADDRESS_FIELD_BYTES ? addressLength : SLL_ADDRESS_FIELD_BYTES));
}

/** Writes the 8-byte address field (zero padded) for a value from {@link readSllAddress}. */
export function writeSllAddress(out: Uint8Array, o: number, address: number | string): void {
  out.fill(0, o, o + SLL_ADDRESS_FIELD_BYTES);
  if (typeof address === 'number') {
    putU48be(out, o, address);
    return;
  }
  const raw = hexToBytes(address);
  out.set(raw.length > SLL_ADDRESS_FIELD_BYTES ? raw.subarray(0, SLL_ADDRESS_FIELD_BYTES) : raw, o);
}
