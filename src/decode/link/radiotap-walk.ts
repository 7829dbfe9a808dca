/**
 * Walks the fields a radiotap header's present words announce, in header order, applying the
 * alignment rule (each field aligned to its natural size relative to the header start), extended
 * bitmaps (bit 31), namespace switches (bit 29 back to radiotap, bit 30 into a vendor namespace whose
 * data is skipped by its skip_length) and the field table of radiotap.org (bits 0..27). Decoding and
 * encoding share this walk so both place every field at the same offset.
 */

/** Bytes from the header start to the first present word. */
const PRESENT_OFFSET = 4;
const PRESENT_WORD_BYTES = 4;
const BITS_PER_WORD = 32;
/** Bits 0..28 of a present word announce fields; 29, 30 and 31 switch namespace and extend. */
const FIELD_BITS_MASK = 0x1fff_ffff;
const RADIOTAP_NAMESPACE_BIT = 0x2000_0000;
const VENDOR_NAMESPACE_BIT = 0x4000_0000;
const EXT_BIT = 0x8000_0000;
export const RADIOTAP_VENDOR_NAMESPACE_INDEX = 30;
/** OUI (3), sub-namespace (1), skip_length (2, little-endian). */
const VENDOR_FIELD_BYTES = 6;
const VENDOR_FIELD_ALIGN = 2;
const VENDOR_SKIP_OFFSET = 4;

/**
 * Alignment and size of the radiotap-namespace fields, by bit: TSFT, Flags, Rate, Channel, FHSS,
 * dBm signal, dBm noise, lock quality, TX attenuation, dB TX attenuation, dBm TX power, antenna,
 * dB signal, dB noise, RX flags, TX flags, RTS retries, data retries, XChannel, MCS, A-MPDU status,
 * VHT, timestamp, HE, HE-MU, HE-MU-other-user, 0-length PSDU, L-SIG. Bit 28 (TLVs) and beyond end
 * the walk.
 */
const FIELD_ALIGN = [8, 1, 1, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 4, 1, 4, 2, 8, 2, 2, 2, 1, 2];
const FIELD_SIZE = [8, 1, 1, 4, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 8, 3, 8, 12, 12, 12, 12, 6, 1, 4];
export const RADIOTAP_KNOWN_FIELD_BITS = FIELD_SIZE.length;

export interface RadiotapFieldVisitor {
  /**
   * One present field: its radiotap bit (or {@link RADIOTAP_VENDOR_NAMESPACE_INDEX} for a vendor
   * namespace field together with its skipped data), whether it comes from the first present word,
   * and where it sits (offset from the header start) and how long it is.
   */
  field(bit: number, firstWord: boolean, at: number, size: number): void;
  /** The skip_length of the vendor namespace field at `at` (offset from the header start). */
  vendorSkipLength(at: number): number;
}

/** Where the vendor field's skip length sits inside it. */
export const VENDOR_SKIP_LENGTH_OFFSET = VENDOR_SKIP_OFFSET;

/**
 * Visits every field it can place and returns the offset (from the header start) where the walk
 * stopped: after the last field, or before the first field it does not know (TLVs, undefined bits).
 * Returns the negated offset when a field would run past `length`.
 */
export function forEachRadiotapField(
  present: readonly number[],
  length: number,
  visitor: RadiotapFieldVisitor,
): number {
  let pos = PRESENT_OFFSET + PRESENT_WORD_BYTES * present.length;
  let inRadiotap = true;
  let bitBase = 0;
  for (let w = 0; w < present.length; w++) {
    const word = present[w];
    let reset = false;
    // Set field bits only, lowest first; fields of an unknown vendor namespace have no data here.
    let bits = inRadiotap ? word & FIELD_BITS_MASK : 0;
    while (bits !== 0) {
      const lowest = bits & -bits;
      bits ^= lowest;
      const index = bitBase + 31 - Math.clz32(lowest);
      if (index >= RADIOTAP_KNOWN_FIELD_BITS) return pos;
      const align = FIELD_ALIGN[index];
      const size = FIELD_SIZE[index];
      const at = (pos + align - 1) & -align;
      if (at + size > length) return -pos;
      visitor.field(index, w === 0, at, size);
      pos = at + size;
    }
    if ((word & RADIOTAP_NAMESPACE_BIT) !== 0) {
      inRadiotap = true;
      reset = true;
    }
    if ((word & VENDOR_NAMESPACE_BIT) !== 0) {
      const at = (pos + VENDOR_FIELD_ALIGN - 1) & -VENDOR_FIELD_ALIGN;
      if (at + VENDOR_FIELD_BYTES > length) return -pos;
      const size = VENDOR_FIELD_BYTES + visitor.vendorSkipLength(at);
      if (at + size > length) return -pos;
      visitor.field(RADIOTAP_VENDOR_NAMESPACE_INDEX, false, at, size);
      pos = at + size;
      inRadiotap = false;
      reset = true;
    }
    if ((word & EXT_BIT) === 0) break;
    bitBase = reset ? 0 : bitBase + BITS_PER_WORD;
  }
  return pos;
}
