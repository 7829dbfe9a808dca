/**
 * EtherType values the link layers name (IEEE 802 numbers, as tshark's `eth.type` shows them), and the
 * sentinel the link layers use when the type/length field holds an 802.3 length instead of a type.
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
/** IEEE 802.1Q customer VLAN tag. */
export const ETHERTYPE_VLAN = 0x8100;
/** IEEE 802.1ad service VLAN tag (Q-in-Q outer tag). */
export const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard Q-in-Q outer tag used by some vendors. */
export const ETHERTYPE_QINQ_9100 = 0x9100;
/** Another pre-standard Q-in-Q outer tag. */
export const ETHERTYPE_QINQ_9200 = 0x9200;
export const ETHERTYPE_PPPOE_DISCOVERY = 0x8863;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_IPV6 = 0x86dd;
/** IEEE 802.1X (EAP over LAN, WPA key handshakes). */
export const ETHERTYPE_EAPOL = 0x888e;
export const ETHERTYPE_LLDP = 0x88cc;

/**
 * Stands in for the EtherType when the field holds an IEEE 802.3 length (≤ 1500): an 802.2 LLC header
 * follows. LLC uses the same value when its header has no SNAP EtherType.
 */
export const ETHERTYPE_8023_LLC = -1;

/** Largest value of the type/length field that is a length (IEEE 802.3 clause 3.2.6). */
export const MAX_8023_LENGTH = 1500;
/** Smallest value of the type/length field that is an EtherType. */
export const MIN_ETHERTYPE = 0x0600;
