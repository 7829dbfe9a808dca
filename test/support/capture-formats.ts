// The three capture file formats every loopback recording is kept in, how editcap names them, and how
// to recognise each from its first bytes and read its link type (for tests on the recordings).

export type CaptureFormatName = 'pcap' | 'pcapng' | 'nsecpcap';

export interface CaptureFormat {
  readonly name: CaptureFormatName;
  /** File name suffix after the recording name. */
  readonly suffix: string;
  /** `editcap -F` name; tcpdump writes `pcap` itself. */
  readonly editcapName: string;
}

export const CAPTURE_FORMATS: readonly CaptureFormat[] = [
  { name: 'pcap', suffix: '.pcap', editcapName: 'pcap' },
  { name: 'pcapng', suffix: '.pcapng', editcapName: 'pcapng' },
  { name: 'nsecpcap', suffix: '.nsec.pcap', editcapName: 'nsecpcap' },
];

const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
const PCAPNG_SECTION_HEADER_BLOCK = 0x0a0d0d0a;
const PCAPNG_INTERFACE_DESCRIPTION_BLOCK = 1;
const PCAP_LINK_TYPE_OFFSET = 20;
const PCAPNG_BLOCK_LENGTH_OFFSET = 4;
const PCAPNG_BYTE_ORDER_MAGIC_OFFSET = 8;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const PCAPNG_IDB_LINK_TYPE_OFFSET = 8;

export interface CaptureHeader {
  readonly format: CaptureFormatName;
  readonly littleEndian: boolean;
  /** Link type of the file (pcap) or of the first interface (pcapng). */
  readonly linkType: number;
}

/** Reads the format and link type from the start of a capture file; throws if it is neither pcap nor pcapng. */
export function readCaptureHeader(bytes: Buffer): CaptureHeader {
  if (bytes.length < 24) throw new RangeError(`Cannot read capture header: need 24 bytes, have ${bytes.length}`);
  const magicBe = bytes.readUInt32BE(0);
  const magicLe = bytes.readUInt32LE(0);
  for (const [magic, format] of [
    [PCAP_MAGIC_MICROSECONDS, 'pcap'],
    [PCAP_MAGIC_NANOSECONDS, 'nsecpcap'],
  ] as const) {
    if (magicBe === magic || magicLe === magic) {
      const littleEndian = magicLe === magic;
      const linkType = littleEndian ? bytes.readUInt32LE(PCAP_LINK_TYPE_OFFSET) : bytes.readUInt32BE(PCAP_LINK_TYPE_OFFSET);
      return { format, littleEndian, linkType };
    }
  }
  if (magicBe !== PCAPNG_SECTION_HEADER_BLOCK) throw new RangeError(`Unknown capture magic 0x${magicBe.toString(16)}`);
  const littleEndian = bytes.readUInt32LE(PCAPNG_BYTE_ORDER_MAGIC_OFFSET) === PCAPNG_BYTE_ORDER_MAGIC;
  const u32 = (at: number): number => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const u16 = (at: number): number => (littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  let at = 0;
  while (at + 12 <= bytes.length) {
    const blockType = u32(at);
    const blockLength = u32(at + PCAPNG_BLOCK_LENGTH_OFFSET);
    if (blockType === PCAPNG_INTERFACE_DESCRIPTION_BLOCK) {
      return { format: 'pcapng', littleEndian, linkType: u16(at + PCAPNG_IDB_LINK_TYPE_OFFSET) };
    }
    if (blockLength < 12) break;
    at += blockLength;
  }
  throw new RangeError('pcapng file has no interface description block');
}
