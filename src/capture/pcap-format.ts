/**
 * The classic pcap file format (draft-ietf-opsawg-pcap): a 24-byte file header, then records of a
 * 16-byte header and the captured bytes. The magic number, read in the writer's byte order, also says
 * whether the fraction field holds micro- or nanoseconds.
 *
 * File header: magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4).
 * Record header: ts_sec(4) ts_frac(4) incl_len(4) orig_len(4); the "modified" (Kuznetzov) variant adds
 * ifindex(4) protocol(2) pkt_type(1) pad(1).
 */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap (ss991029): microseconds, 24-byte record headers. */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
export const PCAP_MODIFIED_RECORD_HEADER_BYTES = 24;
/** Offsets inside the file header. */
export const PCAP_SNAPLEN_OFFSET = 16;
export const PCAP_LINKTYPE_OFFSET = 20;
/** Snap length tcpdump and Wireshark use by default. */
export const PCAP_DEFAULT_SNAPLEN = 262_144;
