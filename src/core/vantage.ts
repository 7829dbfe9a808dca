/** Where the observer stands and the files it records: shared by every stage that reads or writes a capture. */

/** Where the observer stands (DESIGN.md): the home's router, the ISP, or a Wi-Fi sniffer. */
export const VANTAGES = ['lan', 'wan', 'wifi'] as const;
export type Vantage = (typeof VANTAGES)[number];

/** The capture file formats peephole reads and writes (optionally gzip-compressed when read). */
export const CAPTURE_FORMATS = ['pcap', 'pcapng'] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];
