/**
 * The pcapng file format (draft-ietf-opsawg-pcapng): a sequence of blocks
 * `type(4) total_length(4) body total_length(4)`, 32-bit aligned, in sections that each start with a
 * Section Header Block giving the section's byte order. Options are `code(2) length(2) value` padded
 * to 4 bytes, ended by code 0.
 */
export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
/** Obsolete Packet Block: 16-bit interface id and drops count, otherwise like an EPB. */
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_NRB = 0x00000004;
export const BLOCK_ISB = 0x00000005;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_SYSTEMD_JOURNAL = 0x00000009;
export const BLOCK_DSB = 0x0000000a;
export const BLOCK_CUSTOM = 0x00000bad;
export const BLOCK_CUSTOM_NO_COPY = 0x40000bad;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const PCAPNG_VERSION_MAJOR = 1;
export const PCAPNG_VERSION_MINOR = 0;

/** type + total length + trailing total length. */
export const BLOCK_OVERHEAD_BYTES = 12;
export const SHB_MIN_BYTES = 28;
export const IDB_MIN_BYTES = 20;
export const EPB_MIN_BYTES = 32;
export const PB_MIN_BYTES = 32;
export const SPB_MIN_BYTES = 16;
/** Offset of the packet data inside an EPB or PB. */
export const PACKET_DATA_OFFSET = 28;
/** Offset of the packet data inside an SPB. */
export const SPB_DATA_OFFSET = 12;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const SHB_HARDWARE = 2;
export const SHB_OS = 3;
export const SHB_USERAPPL = 4;
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
export const IF_FCSLEN = 13;
export const IF_TSOFFSET = 14;

const BLOCK_NAMES: ReadonlyMap<number, string> = new Map([
  [BLOCK_SHB, 'SHB'],
  [BLOCK_IDB, 'IDB'],
  [BLOCK_PB, 'PB'],
  [BLOCK_SPB, 'SPB'],
  [BLOCK_NRB, 'NRB'],
  [BLOCK_ISB, 'ISB'],
  [BLOCK_EPB, 'EPB'],
  [BLOCK_SYSTEMD_JOURNAL, 'systemd journal export'],
  [BLOCK_DSB, 'DSB'],
  [BLOCK_CUSTOM, 'custom'],
  [BLOCK_CUSTOM_NO_COPY, 'custom (do not copy)'],
]);

/** `NRB`, `ISB`, `custom`, or `0x00000123` for a block type the format does not name. */
export function blockTypeName(type: number): string {
  return BLOCK_NAMES.get(type) ?? `0x${type.toString(16).padStart(8, '0')}`;
}

/** True for the block types the format defines (used to judge resynchronisation candidates). */
export function isKnownBlockType(type: number): boolean {
  return BLOCK_NAMES.has(type);
}

/** Bytes of `n` rounded up to a multiple of 4. */
export function padded4(n: number): number {
  return n + ((4 - (n & 3)) & 3);
}
