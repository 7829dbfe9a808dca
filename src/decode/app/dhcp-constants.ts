/**
 * Numbers of DHCP (RFC 2131, RFC 2132): the BOOTP fixed header's layout, the magic cookie, the
 * message types of option 53 and the option codes peephole reads by name.
 */

/** op, htype, hlen, hops, xid, secs, flags, four addresses, chaddr, sname and file: 236 bytes. */
export const DHCP_FIXED_HEADER_BYTES = 236;
/** The magic cookie 99.130.83.99 that says options follow (RFC 2131 §3). */
export const DHCP_MAGIC_COOKIE = 0x63825363;
export const DHCP_MAGIC_COOKIE_BYTES = 4;
export const DHCP_CHADDR_OFFSET = 28;
export const DHCP_CHADDR_BYTES = 16;
export const DHCP_SNAME_OFFSET = 44;
export const DHCP_SNAME_BYTES = 64;
export const DHCP_FILE_OFFSET = 108;
export const DHCP_FILE_BYTES = 128;
/** htype 1: Ethernet, whose 6-byte chaddr is read as a MAC address. */
export const DHCP_HTYPE_ETHERNET = 1;
export const DHCP_ETHERNET_HLEN = 6;
/** The broadcast bit of the flags field (RFC 2131 §2). */
export const DHCP_FLAG_BROADCAST = 0x8000;

/** op: a client's request or a server's reply. */
export const DHCP_OP = { REQUEST: 1, REPLY: 2 } as const;

/** Values of option 53, DHCP Message Type (RFC 2132 §9.6, RFC 4388 for LEASEQUERY and after). */
export const DHCP_MESSAGE_TYPE = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;

/** Option codes (RFC 2132 and later) that the decoder reads into fields of their own. */
export const DHCP_OPTION = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS_SERVERS: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAMETER_LIST: 55,
  MAX_MESSAGE_SIZE: 57,
  VENDOR_CLASS: 60,
  CLIENT_ID: 61,
  END: 255,
} as const;

/** Bits of option 52 (Option Overload, RFC 2132 §9.3): which fixed fields hold options. */
export const DHCP_OVERLOAD_FILE = 1;
export const DHCP_OVERLOAD_SNAME = 2;
