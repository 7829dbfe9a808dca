/** The application-layer decoders: DNS (also mDNS, LLMNR, over TCP), the TLS ClientHello, DHCP and SSDP. */
export { formatAsciiField, formatDisplayText } from './display-text.js';
export {
  DNS_NAME_LOOP_TEXT,
  DNS_NAME_TOO_LONG_TEXT,
  DNS_ROOT_TEXT,
  DnsNameCache,
  DnsNameCompressor,
  decodeDnsName,
  dnsNameEncodingLength,
  encodeDnsName,
  type DnsNameRead,
} from './dns-name.js';
export {
  DNS_ANOMALIES,
  DNS_HEADER_BYTES,
  DNS_TYPE,
  decodeDnsMessage,
  dnsCodec,
  encodeDnsMessage,
  llmnrCodec,
  mdnsCodec,
  type DnsCodec,
  type DnsDecodeOptions,
  type DnsEncodeOptions,
  type DnsLayer,
  type DnsProtocol,
  type DnsQuestion,
  type DnsRecordData,
  type DnsResourceRecord,
  type DnsSvcParam,
  type DnsTransport,
} from './dns.js';
export { SVC_PARAM_KEY, decodeEchConfigList, type DnsSvcValue, type EchConfigSummary } from './dns-svc-params.js';
export { DNS_TCP_ANOMALIES, DNS_TCP_LENGTH_BYTES, DnsTcpStreams, dnsTcpEncodingLength, encodeDnsTcpMessage } from './dns-tcp.js';
export { TcpReassembler, TcpStream, seqDiff, type TcpReassemblyOptions } from './tcp-reassembly.js';
export {
  TLS_ANOMALIES,
  TLS_NEED_MORE,
  TLS_NOT_HELLO,
  clientHelloExtent,
  decodeTlsClientHello,
  probeTlsClientHello,
  tlsClientHelloCodec,
  type TlsClientHelloLayer,
  type TlsDecodeOptions,
  type TlsExtensionSummary,
} from './tls-client-hello.js';
export { TLS_EXTENSION } from './tls-constants.js';
export { DEFAULT_CIPHER_SUITES, encodeClientHello, type ClientHelloOptions } from './tls-client-hello-encoder.js';
export { TlsClientHelloStreams } from './tls-client-hello-streams.js';
export {
  DHCP_ANOMALIES,
  MAX_DHCP_OPTIONS,
  decodeDhcp,
  dhcpCodec,
  dhcpEncodingLength,
  encodeDhcp,
  type DhcpLayer,
  type DhcpOption,
  type DhcpOptionArea,
} from './dhcp.js';
export { DHCP_FLAG_BROADCAST, DHCP_MAGIC_COOKIE, DHCP_MESSAGE_TYPE, DHCP_OP, DHCP_OPTION } from './dhcp-constants.js';
export { encodeDhcpMessage, makeDhcp, type DhcpInit, type DhcpRawOption } from './dhcp-message.js';
export {
  MAX_SSDP_HEADERS,
  MAX_SSDP_LINE_BYTES,
  SSDP_ANOMALIES,
  decodeSsdp,
  encodeSsdp,
  makeSsdp,
  ssdpCodec,
  type SsdpHeader,
  type SsdpInit,
  type SsdpLayer,
} from './ssdp.js';
export { NTP_HEADER_BYTES, NTP_MODE, decodeNtp, encodeNtp, makeNtpRequest, ntpCodec, type NtpLayer } from './ntp.js';
export {
  HTTP_TCP_PORTS,
  HttpHeads,
  MAX_HTTP_HEADERS,
  MAX_HTTP_HEAD_BYTES,
  decodeHttp,
  encodeHttp,
  headEnd,
  headStart,
  httpCodec,
  makeHttp,
  mayStartHttp,
  type HttpHeader,
  type HttpLayer,
} from './http.js';
export { isGrease, ja3, ja3Full } from './tls-fingerprint.js';
