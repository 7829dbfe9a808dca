/**
 * Link-layer header types (the `LinkType` field of a pcap file header or a pcapng IDB), as registered
 * at tcpdump.org, and the names Wireshark gives them.
 *
 * `linkTypeName()` is the long name capinfos prints (`File encapsulation:  Ethernet`) and
 * `linkTypeShortName()` the short one it prints with `-T` (`ether`); both tables were read off
 * capinfos 4.0 for every value 0..300 it knows. A value it does not know gets `LINKTYPE_<n>`.
 *
 * ```ts
 * linkTypeName(LINKTYPE_ETHERNET); // 'Ethernet'
 * linkTypeShortName(105);          // 'ieee-802-11'
 * ```
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_AX25 = 3;
/** Token Ring. */
export const LINKTYPE_IEEE802_5 = 6;
export const LINKTYPE_ARCNET_BSD = 7;
export const LINKTYPE_SLIP = 8;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_FDDI = 10;
/** DLT_RAW as most BSDs number it: raw IPv4 or IPv6 (the version nibble decides). */
export const LINKTYPE_DLT_RAW_12 = 12;
/** DLT_RAW as OpenBSD numbers it: raw IPv4 or IPv6. */
export const LINKTYPE_DLT_RAW_14 = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_PPP_ETHER = 51;
export const LINKTYPE_ATM_RFC1483 = 100;
/** Raw IPv4 or IPv6: the version nibble of the first byte decides. */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_FRELAY = 107;
/** OpenBSD loopback: a 4-byte address family in network byte order. */
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_PFLOG = 117;
export const LINKTYPE_IEEE802_11_PRISM = 119;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_IEEE802_11_AVS = 163;
export const LINKTYPE_BLUETOOTH_HCI_H4 = 187;
export const LINKTYPE_USB_LINUX = 189;
export const LINKTYPE_CAN20B = 190;
export const LINKTYPE_PPI = 192;
export const LINKTYPE_IEEE802_15_4_WITHFCS = 195;
export const LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR = 201;
export const LINKTYPE_USB_LINUX_MMAPPED = 220;
export const LINKTYPE_CAN_SOCKETCAN = 227;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_IEEE802_15_4_NOFCS = 230;
export const LINKTYPE_NFLOG = 239;
export const LINKTYPE_USBPCAP = 249;
export const LINKTYPE_BLUETOOTH_LE_LL = 251;
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;
export const LINKTYPE_NETLINK = 253;
export const LINKTYPE_BLUETOOTH_LINUX_MONITOR = 254;
export const LINKTYPE_PKTAP = 258;
export const LINKTYPE_LORATAP = 270;
export const LINKTYPE_NORDIC_BLE = 272;
export const LINKTYPE_LINUX_SLL2 = 276;
export const LINKTYPE_ZWAVE_SERIAL = 287;

/** The same constants as one object: `LINKTYPE.ETHERNET`. */
export const LINKTYPE = {
  NULL: LINKTYPE_NULL,
  ETHERNET: LINKTYPE_ETHERNET,
  AX25: LINKTYPE_AX25,
  IEEE802_5: LINKTYPE_IEEE802_5,
  ARCNET_BSD: LINKTYPE_ARCNET_BSD,
  SLIP: LINKTYPE_SLIP,
  PPP: LINKTYPE_PPP,
  FDDI: LINKTYPE_FDDI,
  DLT_RAW_12: LINKTYPE_DLT_RAW_12,
  DLT_RAW_14: LINKTYPE_DLT_RAW_14,
  PPP_HDLC: LINKTYPE_PPP_HDLC,
  PPP_ETHER: LINKTYPE_PPP_ETHER,
  ATM_RFC1483: LINKTYPE_ATM_RFC1483,
  RAW: LINKTYPE_RAW,
  C_HDLC: LINKTYPE_C_HDLC,
  IEEE802_11: LINKTYPE_IEEE802_11,
  FRELAY: LINKTYPE_FRELAY,
  LOOP: LINKTYPE_LOOP,
  LINUX_SLL: LINKTYPE_LINUX_SLL,
  PFLOG: LINKTYPE_PFLOG,
  IEEE802_11_PRISM: LINKTYPE_IEEE802_11_PRISM,
  IEEE802_11_RADIOTAP: LINKTYPE_IEEE802_11_RADIOTAP,
  IEEE802_11_AVS: LINKTYPE_IEEE802_11_AVS,
  BLUETOOTH_HCI_H4: LINKTYPE_BLUETOOTH_HCI_H4,
  USB_LINUX: LINKTYPE_USB_LINUX,
  CAN20B: LINKTYPE_CAN20B,
  PPI: LINKTYPE_PPI,
  IEEE802_15_4_WITHFCS: LINKTYPE_IEEE802_15_4_WITHFCS,
  BLUETOOTH_HCI_H4_WITH_PHDR: LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR,
  USB_LINUX_MMAPPED: LINKTYPE_USB_LINUX_MMAPPED,
  CAN_SOCKETCAN: LINKTYPE_CAN_SOCKETCAN,
  IPV4: LINKTYPE_IPV4,
  IPV6: LINKTYPE_IPV6,
  IEEE802_15_4_NOFCS: LINKTYPE_IEEE802_15_4_NOFCS,
  NFLOG: LINKTYPE_NFLOG,
  USBPCAP: LINKTYPE_USBPCAP,
  BLUETOOTH_LE_LL: LINKTYPE_BLUETOOTH_LE_LL,
  WIRESHARK_UPPER_PDU: LINKTYPE_WIRESHARK_UPPER_PDU,
  NETLINK: LINKTYPE_NETLINK,
  BLUETOOTH_LINUX_MONITOR: LINKTYPE_BLUETOOTH_LINUX_MONITOR,
  PKTAP: LINKTYPE_PKTAP,
  LORATAP: LINKTYPE_LORATAP,
  NORDIC_BLE: LINKTYPE_NORDIC_BLE,
  LINUX_SLL2: LINKTYPE_LINUX_SLL2,
  ZWAVE_SERIAL: LINKTYPE_ZWAVE_SERIAL,
} as const;

/** The bits of a pcap header's `LinkType` field that hold the link type (the upper ones hold FCS flags). */
export const LINKTYPE_MASK = 0x03ff_ffff;

/** True for the link types whose frames start directly with an IPv4 or IPv6 header. */
export function isRawIpLinkType(linkType: number): boolean {
  return (
    linkType === LINKTYPE_RAW ||
    linkType === LINKTYPE_DLT_RAW_12 ||
    linkType === LINKTYPE_DLT_RAW_14 ||
    linkType === LINKTYPE_IPV4 ||
    linkType === LINKTYPE_IPV6
  );
}

/** `[link type, capinfos short name, capinfos long name]`, read off capinfos 4.0. */
const NAMES: readonly (readonly [number, string, string])[] = [
  [0, 'null', 'NULL/Loopback'],
  [1, 'ether', 'Ethernet'],
  [2, 'xeth', 'Xerox 3MB Ethernet'],
  [3, 'ax25', 'Amateur Radio AX.25'],
  [6, 'tr', 'Token Ring'],
  [7, 'arcnet', 'ARCNET'],
  [8, 'slip', 'SLIP'],
  [9, 'ppp', 'PPP'],
  [10, 'fddi-swapped', 'FDDI with bit-swapped MAC addresses'],
  [11, 'atm-rfc1483', 'RFC 1483 ATM'],
  [12, 'rawip', 'Raw IP'],
  [13, 'enc', 'OpenBSD enc(4) encapsulating interface'],
  [14, 'rawip', 'Raw IP'],
  [16, 'linux-atm-clip', 'Linux ATM CLIP'],
  [18, 'linux-atm-clip', 'Linux ATM CLIP'],
  [19, 'linux-atm-clip', 'Linux ATM CLIP'],
  [32, 'redback', 'Redback SmartEdge'],
  [50, 'ppp', 'PPP'],
  [51, 'pppoes', 'PPP-over-Ethernet session'],
  [99, 'symantec', 'Symantec Enterprise Firewall'],
  [100, 'atm-rfc1483', 'RFC 1483 ATM'],
  [101, 'rawip', 'Raw IP'],
  [104, 'chdlc', 'Cisco HDLC'],
  [105, 'ieee-802-11', 'IEEE 802.11 Wireless LAN'],
  [106, 'linux-atm-clip', 'Linux ATM CLIP'],
  [107, 'frelay', 'Frame Relay'],
  [108, 'loop', 'OpenBSD loopback'],
  [109, 'enc', 'OpenBSD enc(4) encapsulating interface'],
  [112, 'chdlc', 'Cisco HDLC'],
  [113, 'linux-sll', 'Linux cooked-mode capture v1'],
  [114, 'ltalk', 'Localtalk'],
  [117, 'pflog', 'OpenBSD PF Firewall logs'],
  [118, 'ios', 'Cisco IOS internal'],
  [119, 'ieee-802-11-prism', 'IEEE 802.11 plus Prism II monitor mode radio header'],
  [121, 'hhdlc', 'HiPath HDLC'],
  [122, 'ip-over-fc', 'RFC 2625 IP-over-Fibre Channel'],
  [123, 'atm-pdus', 'ATM PDUs'],
  [127, 'ieee-802-11-radiotap', 'IEEE 802.11 plus radiotap radio header'],
  [128, 'tzsp', 'Tazmen sniffer protocol'],
  [129, 'arcnet_linux', 'Linux ARCNET'],
  [130, 'juniper-mlppp', 'Juniper MLPPP'],
  [131, 'juniper-mlfr', 'Juniper MLFR'],
  [133, 'juniper-ggsn', 'Juniper GGSN'],
  [135, 'juniper-atm2', 'Juniper ATM2'],
  [136, 'juniper-svcs', 'Juniper Services'],
  [137, 'juniper-atm1', 'Juniper ATM1'],
  [138, 'ap1394', 'Apple IP-over-IEEE 1394'],
  [139, 'mtp2-with-phdr', 'MTP2 with pseudoheader'],
  [140, 'mtp2', 'SS7 MTP2'],
  [141, 'mtp3', 'SS7 MTP3'],
  [142, 'sccp', 'SS7 SCCP'],
  [143, 'docsis', 'Data Over Cable Service Interface Specification'],
  [147, 'user0', 'USER 0'],
  [148, 'user1', 'USER 1'],
  [149, 'user2', 'USER 2'],
  [150, 'user3', 'USER 3'],
  [151, 'user4', 'USER 4'],
  [152, 'user5', 'USER 5'],
  [153, 'user6', 'USER 6'],
  [154, 'user7', 'USER 7'],
  [155, 'user8', 'USER 8'],
  [156, 'user9', 'USER 9'],
  [157, 'user10', 'USER 10'],
  [158, 'user11', 'USER 11'],
  [159, 'user12', 'USER 12'],
  [160, 'user13', 'USER 13'],
  [161, 'user14', 'USER 14'],
  [162, 'user15', 'USER 15'],
  [163, 'ieee-802-11-avs', 'IEEE 802.11 plus AVS radio header'],
  [165, 'bacnet-ms-tp', 'BACnet MS/TP'],
  [167, 'juniper-pppoe', 'Juniper PPPoE'],
  [169, 'gprs-llc', 'GPRS LLC'],
  [170, 'gfp-t', 'ITU-T G.7041/Y.1303 Generic Framing Procedure Transparent mode'],
  [171, 'gfp-f', 'ITU-T G.7041/Y.1303 Generic Framing Procedure Frame-mapped mode'],
  [172, 'gcom-tie1', 'GCOM TIE1'],
  [173, 'gcom-serial', 'GCOM Serial'],
  [178, 'juniper-ether', 'Juniper Ethernet'],
  [179, 'juniper-ppp', 'Juniper PPP'],
  [180, 'juniper-frelay', 'Juniper Frame-Relay'],
  [181, 'juniper-chdlc', 'Juniper C-HDLC'],
  [183, 'juniper-vp', 'Juniper Voice PIC'],
  [184, 'juniper-vn', 'Juniper VN'],
  [186, 'usb-freebsd', 'USB packets with FreeBSD header'],
  [187, 'bluetooth-h4', 'Bluetooth H4'],
  [188, 'ieee-802-16-mac-cps', 'IEEE 802.16 MAC Common Part Sublayer'],
  [189, 'usb-linux', 'USB packets with Linux header'],
  [190, 'can20b', 'Controller Area Network 2.0B'],
  [192, 'ppi', 'Per-Packet Information header'],
  [195, 'wpan', 'IEEE 802.15.4 Wireless PAN'],
  [199, 'ipmb-kontron', 'Intelligent Platform Management Bus with Kontron pseudo-header'],
  [200, 'juniper-st', 'Juniper Secure Tunnel Information'],
  [201, 'bluetooth-h4-linux', 'Bluetooth H4 with linux header'],
  [202, 'ax25-kiss', 'AX.25 with KISS header'],
  [203, 'lapd', 'LAPD'],
  [204, 'ppp-with-direction', 'PPP with Directional Info'],
  [210, 'flexray', 'FlexRay'],
  [211, 'most', 'Media Oriented Systems Transport'],
  [212, 'lin', 'Local Interconnect Network'],
  [213, 'x2e-serial', 'X2E serial line capture'],
  [214, 'x2e-xoraya', 'X2E Xoraya'],
  [215, 'wpan-nonask-phy', 'IEEE 802.15.4 Wireless PAN non-ASK PHY'],
  [220, 'usb-linux-mmap', 'USB packets with Linux header and padding'],
  [224, 'fc2', 'Fibre Channel FC-2'],
  [225, 'fc2sof', 'Fibre Channel FC-2 With Frame Delimiter'],
  [226, 'ipnet', 'Solaris IPNET'],
  [227, 'socketcan', 'SocketCAN'],
  [228, 'rawip4', 'Raw IPv4'],
  [229, 'rawip6', 'Raw IPv6'],
  [230, 'wpan-nofcs', 'IEEE 802.15.4 Wireless PAN with FCS not present'],
  [231, 'dbus', 'D-Bus'],
  [235, 'dvbci', 'DVB-CI (Common Interface)'],
  [236, 'mux27010', 'MUX27010'],
  [237, 's5066-dpdu', 'STANAG 5066 Data Transfer Sublayer PDUs(D_PDU)'],
  [239, 'nflog', 'NFLOG'],
  [240, 'netanalyzer', 'Hilscher netANALYZER'],
  [241, 'netanalyzer-transparent', 'Hilscher netANALYZER-Transparent'],
  [242, 'ip-ib', 'IP over IB'],
  [243, 'mp2ts', 'ISO/IEC 13818-1 MPEG2-TS'],
  [245, 'nfc-llcp', 'NFC LLCP'],
  [248, 'sctp', 'SCTP'],
  [249, 'usb-usbpcap', 'USB packets with USBPcap header'],
  [250, 'rtac-serial', 'RTAC serial-line'],
  [251, 'bluetooth-le-ll', 'Bluetooth Low Energy Link Layer'],
  [252, 'wireshark-upper-pdu', 'Wireshark Upper PDU export'],
  [253, 'netlink', 'Linux Netlink'],
  [254, 'bluetooth-linux-monitor', 'Bluetooth Linux Monitor'],
  [255, 'bluetooth-bredr-bb-rf', 'Bluetooth BR/EDR Baseband RF'],
  [256, 'bluetooth-le-ll-rf', 'Bluetooth Low Energy Link Layer RF'],
  [258, 'pktap', 'Apple PKTAP'],
  [259, 'epon', 'Ethernet Passive Optical Network'],
  [260, 'ipmi-trace', 'IPMI Trace Data Collection'],
  [264, 'iso14443', 'ISO 14443 contactless smartcard standards'],
  [266, 'usb-darwin', 'USB packets with Darwin (macOS, etc.) headers'],
  [268, 'sdlc', 'SDLC'],
  [270, 'loratap', 'LoRaTap'],
  [271, 'vsock', 'Linux vsock'],
  [272, 'nordic_ble', 'nRF Sniffer for Bluetooth LE'],
  [273, 'docsis31_xra31', 'DOCSIS with Excentis XRA pseudo-header'],
  [274, 'ether-mpacket', 'IEEE 802.3br mPackets'],
  [275, 'dpauxmon', 'DisplayPort AUX channel with Unigraf pseudo-header'],
  [276, 'linux-sll2', 'Linux cooked-mode capture v2'],
  [279, 'ebhscr', 'Elektrobit High Speed Capture and Replay'],
  [280, 'vpp', 'Vector Packet Processing graph dispatch trace'],
  [283, 'wpan-tap', 'IEEE 802.15.4 Wireless with TAP pseudo-header'],
  [287, 'zwave-serial', 'Z-Wave Serial API packets'],
  [288, 'usb-20', 'USB 2.0/1.1/1.0 packets'],
  [290, 'etw', 'Event Tracing for Windows messages'],
  [292, 'zbncp', 'ZBOSS NCP'],
  [293, 'usb-20-low', 'Low-Speed USB 2.0/1.1/1.0 packets'],
  [294, 'usb-20-full', 'Full-Speed USB 2.0/1.1/1.0 packets'],
  [295, 'usb-20-high', 'High-Speed USB 2.0 packets'],
];

const LONG = new Map<number, string>(NAMES.map(([n, , long]) => [n, long]));
const SHORT = new Map<number, string>(NAMES.map(([n, short]) => [n, short]));

/** The name capinfos and tshark give a link type (`Ethernet`), or `LINKTYPE_<n>` for one they do not know. */
export function linkTypeName(linkType: number): string {
  return LONG.get(linkType) ?? `LINKTYPE_${linkType}`;
}

/** The short name capinfos prints with `-T` (`ether`), or `linktype-<n>` for one it does not know. */
export function linkTypeShortName(linkType: number): string {
  return SHORT.get(linkType) ?? `linktype-${linkType}`;
}

/** Every link type this module can name, ascending. */
export function knownLinkTypes(): number[] {
  return NAMES.map(([n]) => n);
}
