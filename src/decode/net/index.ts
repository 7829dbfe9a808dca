/** Network and transport layers: codecs, anomaly tables, checksums and the packet builder. */
export * from './arp.js';
export * from './ipv4.js';
export * from './ipv6.js';
export * from './icmp.js';
export * from './icmpv6.js';
export * from './udp.js';
export * from './tcp.js';
export * from './checksum.js';
export * from './reported-end.js';
export * from './make-layer.js';
export * from './packet-builder.js';
