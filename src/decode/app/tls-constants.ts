/** Numbers of the TLS record and handshake layers the ClientHello decoder and encoder share. */

export const TLS_RECORD_HEADER_BYTES = 5;
export const TLS_HANDSHAKE_HEADER_BYTES = 4;
export const TLS_CONTENT_HANDSHAKE = 22;
export const TLS_HANDSHAKE_CLIENT_HELLO = 1;
/** Largest record payload a sender may write (2^14 bytes of plaintext). */
export const TLS_MAX_PLAINTEXT_BYTES = 16384;
/** Largest record payload a reader accepts: 2^14 plus the 2048 bytes TLSCiphertext allows. */
export const TLS_MAX_RECORD_BYTES = TLS_MAX_PLAINTEXT_BYTES + 2048;
export const TLS_RANDOM_BYTES = 32;

/** Extension types the decoder reads (IANA "TLS ExtensionType Values"). */
export const TLS_EXTENSION = {
  serverName: 0,
  padding: 21,
  alpn: 16,
  supportedVersions: 43,
  supportedGroups: 10,
  ecPointFormats: 11,
  encryptedClientHello: 0xfe0d,
} as const;

/** server_name entry type for a DNS host name (RFC 6066 §3). */
export const TLS_SNI_HOST_NAME = 0;
