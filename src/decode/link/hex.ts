/** Lower-case hex for raw bytes a layer keeps (unparsed radiotap fields, odd link addresses). */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `n` bytes of `b` from `o` as lower-case hex. */
export function bytesToHex(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[b[o + i]];
  return s;
}

/** The bytes of a hex string (an odd trailing digit is ignored); throws on a non-hex digit. */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) {
    const v = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (Number.isNaN(v)) throw new TypeError(`Not hex: ${JSON.stringify(hex)}`);
    out[i] = v;
  }
  return out;
}
