/**
 * What a traffic summary needs from a DNS message, read without building its layer: whether it is a
 * response, its question names, and its answers of type A, AAAA and CNAME (owner name, address or
 * target). {@link DnsDigest.read} accepts a message only when `decodeDnsMessage()` would decode every
 * part of it with no anomaly, and then gives exactly the names and answers that decoder's layer
 * holds; for every other message it returns false and the caller decodes it.
 *
 * ```ts
 * const digest = new DnsDigest();
 * if (digest.read(bytes, start, end)) for (let i = 0; i < digest.questionCount; i++) digest.questionNames[i];
 * ```
 *
 * It walks every name and checks every record's data as the decoder does (dns-name.ts,
 * dns-record-data.ts), and refuses what would give an anomaly or text other than plain ASCII:
 * a name running past the message, a bad label type, a pointer past the message, forward or
 * looping, a name over 255 bytes, a byte outside 0x20..0x7e, record data that does not fit its type,
 * bytes after the last record; and SVCB and HTTPS records (their parameters are not checked here).
 * Where the decoder's name cache spares it part of a walk, every name is checked here as if read in
 * full (stricter: a few long pointer chains the decoder reads without anomaly are left to it).
 * Checked against the decoder at every field boundary, on damaged bytes and on every test capture
 * (dns-digest.test.ts, test/common-shape.test.ts).
 *
 * Why: in a CPU profile of `peephole inspect` on the DNS/VLAN bench:ingest capture (a quarter of
 * the packets DNS responses of 4 to 18 answers), DNS layers and their summary took about half the
 * samples: names read into new strings, a record and a data object per answer, address text, map
 * look-ups. Here a name is text once: names are interned by their bytes (a name met again gives the
 * same string without building one), a name that points to one read before in the same message
 * (the answers' owners) is not walked again, and addresses stay numbers for the caller to format
 * only when it keeps one. inspect of that capture (1130 MB): 2.43 s before (best of 3), 0.80 s with
 * this and the summary's changes (best of 5).
 */
import { u16be, u32be } from '../../core/bytes.js';
import { DNS_MAX_NAME_BYTES, DNS_ROOT_TEXT } from './dns-name.js';

export const DNS_DIGEST_A = 1;
export const DNS_DIGEST_AAAA = 28;
export const DNS_DIGEST_CNAME = 5;

const HEADER_BYTES = 12;
const QUESTION_FIXED_BYTES = 4;
const RECORD_FIXED_BYTES = 10;
const FLAG_QR = 0x8000;
const LABEL_TYPE_MASK = 0xc0;
const LABEL_TYPE_POINTER = 0xc0;
/** As dns-name.ts: after the first pointer, a walk that has read this many bytes is a loop. */
const MAX_WALK_AFTER_POINTER_BYTES = 4096;
const DOT = 0x2e;
const A_BYTES = 4;
const AAAA_BYTES = 16;
const SOA_NUMBERS_BYTES = 20;
const OPT_OPTION_HEADER_BYTES = 4;
const TYPE_NS = 2;
const TYPE_SOA = 6;
const TYPE_PTR = 12;
const TYPE_MX = 15;
const TYPE_TXT = 16;
const TYPE_SRV = 33;
const TYPE_OPT = 41;
const TYPE_SVCB = 64;
const TYPE_HTTPS = 65;

/**
 * Interned names: a table of 4096 sets of 4 names by a hash of their bytes (the oldest of a full
 * set gives way). A home's traffic asks for a few hundred names and the DNS/VLAN bench capture for
 * about 3,800: nearly every name read is found here, compared four bytes at a time, and no string is
 * built for it. On that capture 5,476 strings were made for 1.34 M look-ups, about one per name and
 * key; with 8192 sets of one name, 5% of the look-ups missed (names evicting each other).
 */
const INTERN_SETS = 4096;
const INTERN_WAYS = 4;
const INTERN_SLOTS = INTERN_SETS * INTERN_WAYS;
/**
 * Names carry ids below this (-1: a name not interned): where the name is interned. An id stands for
 * one name during a whole message; in a later message it may stand for another, and
 * {@link DnsDigest.nameSerial} tells which (a new serial number each time), so that a caller may
 * keep something per id and know when it no longer applies.
 */
export const DNS_DIGEST_NAME_IDS = INTERN_SLOTS;
/** Names remembered per message by where they start (more are walked again; a response of the bench captures has at most 21). */
const MAX_NAMES_PER_MESSAGE = 32;
/**
 * Longest name interned, in 4-byte words (64 bytes; the longest name in the bench captures takes 44):
 * a longer one is made into a string each time.
 */
const INTERN_WORDS = 16;
/**
 * A set in the table, so that a look-up reads one run of memory: per way its key (the name's length,
 * with {@link WIRE_KEY} when its bytes are as on the wire, not its text; 0: empty), the message that
 * last used it, its serial number (low and high 32 bits), then each way's words.
 */
const SET_MESSAGE = INTERN_WAYS;
const SET_SERIAL_LO = 2 * INTERN_WAYS;
const SET_SERIAL_HI = 3 * INTERN_WAYS;
const SET_NAMES = 4 * INTERN_WAYS;
const SET_WORDS = SET_NAMES + INTERN_WAYS * INTERN_WORDS;
const SET_WAY_BITS = 2;
/** Marks a key of bytes as on the wire (up to 255 of them). */
const WIRE_KEY = 0x100;

const EMPTY = new Uint8Array(0);

export class DnsDigest {
  /** The QR bit. */
  isResponse = false;
  /** Question names, in order: the first `questionCount` entries. */
  questionCount = 0;
  readonly questionNames: string[] = [];
  /** Each question name's id (see {@link DNS_DIGEST_NAME_IDS}). */
  readonly questionIds: number[] = [];
  /**
   * The answer-section records of type A, AAAA or CNAME, in order (records of other types are left
   * out): the first `answerCount` entries of each array.
   */
  answerCount = 0;
  /** {@link DNS_DIGEST_A}, {@link DNS_DIGEST_AAAA} or {@link DNS_DIGEST_CNAME}. */
  readonly answerTypes: number[] = [];
  /** For A, the address as an unsigned 32-bit number; for AAAA, the index of its 16 bytes in {@link bytes}; for CNAME, 0. */
  readonly answerValues: number[] = [];
  /** For CNAME, the target (other entries are left as they were). */
  readonly answerTargets: string[] = [];
  /**
   * The answers' owner names, one per run of answers with the same owner (the addresses of one name
   * come together): the first `ownerCount` entries; run k holds the answers from `ownerStarts[k]` to
   * {@link ownerEnd}(k). (An owner name and id per answer cost two more stores for each of the 11
   * answers of a response of the DNS/VLAN bench capture, and the summary a look at each: in-memory
   * passes over its first 400 MB took 261 to 264 ns a packet that way, 249 to 256 with runs.)
   */
  ownerCount = 0;
  readonly ownerNames: string[] = [];
  readonly ownerIds: number[] = [];
  readonly ownerStarts: number[] = [];
  /** The bytes the message was read from (AAAA addresses are read there; valid while the caller's bytes are). */
  bytes: Uint8Array = EMPTY;

  private readonly internTexts: string[];
  /** The slot of the name {@link intern} gave last (-1: not interned). */
  private internedId = -1;
  /** The sets (see {@link SET_WORDS}), and the way each set fills next. */
  private readonly internTable: Int32Array;
  private readonly internNext: Uint8Array;
  private readonly internSetMask: number;
  /** The set lookUp() looked in last. */
  private internSet = 0;
  /** Names interned so far (serial numbers), and messages read (to tell names of this message). */
  private serial = 0;
  private message = 0;
  /** A name's bytes on the wire as words, and a view of the bytes last read to read them. */
  private readonly keyWords = new Int32Array(INTERN_WORDS);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array = EMPTY;
  /** The text being built: label bytes and dots (at most 253 bytes: a longer name is refused), and its words. */
  private readonly scratch = new Uint8Array(DNS_MAX_NAME_BYTES + 1);
  private readonly scratchWords = new Int32Array(this.scratch.buffer, 0, this.scratch.length >>> 2);
  /** Names read in the current message, by where they start: their text, uncompressed bytes and pointer bytes walked. */
  private names = 0;
  private readonly nameStarts = new Int32Array(MAX_NAMES_PER_MESSAGE);
  private readonly nameTexts: string[] = new Array<string>(MAX_NAMES_PER_MESSAGE).fill('');
  private readonly nameWires = new Int32Array(MAX_NAMES_PER_MESSAGE);
  private readonly namePointerWalks = new Int32Array(MAX_NAMES_PER_MESSAGE);
  private readonly nameIds = new Int32Array(MAX_NAMES_PER_MESSAGE);
  /** What the last {@link walk} read: the name's text and id, and the index after it where it is written. */
  private text = '';
  private id = -1;
  private end = 0;
  /** Whether that name was a lone pointer to a name read before in the message. */
  private pointerOnly = false;

  /** `internSets`: sets of the name table, a power of 2 up to 4096 (the default; fewer, for tests). */
  constructor(options: { internSets?: number } = {}) {
    const sets = options.internSets ?? INTERN_SETS;
    if (!(sets >= 1 && sets <= INTERN_SETS && (sets & (sets - 1)) === 0)) throw new RangeError(`internSets must be a power of 2 up to ${INTERN_SETS}: ${sets}`);
    this.internSetMask = sets - 1;
    this.internTexts = new Array<string>(sets * INTERN_WAYS).fill('');
    this.internTable = new Int32Array(sets * SET_WORDS);
    this.internNext = new Uint8Array(sets);
  }

  /**
   * Reads the DNS message `bytes[start, end)`. True when it decodes without anomaly (the digest then
   * holds its questions and answers), false otherwise (the digest then holds nothing usable).
   */
  read(bytes: Uint8Array, start: number, end: number): boolean {
    if (end - start < HEADER_BYTES) return false;
    this.bytes = bytes;
    this.names = 0;
    this.message = (this.message + 1) | 0;
    this.questionCount = 0;
    this.answerCount = 0;
    this.ownerCount = 0;
    this.isResponse = (u16be(bytes, start + 2) & FLAG_QR) !== 0;
    const qd = u16be(bytes, start + 4);
    const an = u16be(bytes, start + 6);
    const ns = u16be(bytes, start + 8);
    const ar = u16be(bytes, start + 10);
    let pos = start + HEADER_BYTES;
    for (let i = 0; i < qd; i++) {
      if (!this.walk(bytes, pos, start, end)) return false;
      if (this.end + QUESTION_FIXED_BYTES > end) return false;
      this.questionIds[this.questionCount] = this.id;
      this.questionNames[this.questionCount++] = this.text;
      pos = this.end + QUESTION_FIXED_BYTES;
    }
    const records = an + ns + ar;
    // The owner name of the record before when it was a lone pointer to a name read before (-1:
    // none): the same two bytes again give the same name, whatever their place after it (the
    // answers of one name each point to it).
    let lastPointer = -1;
    let owner = '';
    let ownerId = -1;
    for (let i = 0; i < records; i++) {
      let p: number;
      if (pos + 2 <= end && ((bytes[pos] << 8) | bytes[pos + 1]) === lastPointer) {
        p = pos + 2;
      } else {
        if (!this.walk(bytes, pos, start, end)) return false;
        owner = this.text;
        ownerId = this.id;
        p = this.end;
        lastPointer = this.pointerOnly ? (bytes[pos] << 8) | bytes[pos + 1] : -1;
      }
      if (p + RECORD_FIXED_BYTES > end) return false;
      const type = u16be(bytes, p);
      const rdStart = p + RECORD_FIXED_BYTES;
      const rdEnd = rdStart + u16be(bytes, p + 8);
      if (rdEnd > end) return false;
      const length = rdEnd - rdStart;
      switch (type) {
        case DNS_DIGEST_A:
          if (length !== A_BYTES) return false;
          if (i < an) this.answer(owner, ownerId, type, u32be(bytes, rdStart));
          break;
        case DNS_DIGEST_AAAA:
          if (length !== AAAA_BYTES) return false;
          if (i < an) this.answer(owner, ownerId, type, rdStart);
          break;
        case DNS_DIGEST_CNAME:
          if (!this.walk(bytes, rdStart, start, end) || this.end !== rdEnd) return false;
          if (i < an) {
            this.answerTargets[this.answerCount] = this.text;
            this.answer(owner, ownerId, type, 0);
          }
          break;
        case TYPE_PTR:
        case TYPE_NS:
          if (!this.walk(bytes, rdStart, start, end) || this.end !== rdEnd) return false;
          break;
        case TYPE_MX:
          if (length <= 2 || !this.walk(bytes, rdStart + 2, start, end) || this.end !== rdEnd) return false;
          break;
        case TYPE_SRV:
          if (length <= 6 || !this.walk(bytes, rdStart + 6, start, end) || this.end !== rdEnd) return false;
          break;
        case TYPE_SOA:
          if (!this.walk(bytes, rdStart, start, end) || this.end >= rdEnd) return false;
          if (!this.walk(bytes, this.end, start, end) || rdEnd - this.end !== SOA_NUMBERS_BYTES) return false;
          break;
        case TYPE_TXT:
          for (let q = rdStart; q < rdEnd; q += 1 + bytes[q]) if (q + 1 + bytes[q] > rdEnd) return false;
          break;
        case TYPE_OPT:
          for (let q = rdStart; q < rdEnd; q += OPT_OPTION_HEADER_BYTES + u16be(bytes, q + 2)) {
            if (q + OPT_OPTION_HEADER_BYTES > rdEnd || q + OPT_OPTION_HEADER_BYTES + u16be(bytes, q + 2) > rdEnd) return false;
          }
          break;
        case TYPE_SVCB:
        case TYPE_HTTPS:
          return false;
        default:
          // Any other type keeps its data raw: nothing to check.
          break;
      }
      pos = rdEnd;
    }
    return pos === end;
  }

  /** One past the last answer of owner run `k`. */
  ownerEnd(k: number): number {
    return k + 1 < this.ownerCount ? this.ownerStarts[k + 1] : this.answerCount;
  }

  private answer(name: string, id: number, type: number, value: number): void {
    const i = this.answerCount++;
    this.answerTypes[i] = type;
    this.answerValues[i] = value;
    const k = this.ownerCount;
    // An id stands for one name during a message: the same id is the same owner.
    if (k === 0 || id !== this.ownerIds[k - 1] || (id < 0 && name !== this.ownerNames[k - 1])) {
      this.ownerNames[k] = name;
      this.ownerIds[k] = id;
      this.ownerStarts[k] = i;
      this.ownerCount = k + 1;
    }
  }

  /**
   * Walks the name at `offset` of the message `b[ms, me)` as decodeDnsName() does, with its checks;
   * false wherever it would report an anomaly or show other than plain ASCII. Sets `text` (interned)
   * and `end`.
   */
  private walk(b: Uint8Array, offset: number, ms: number, me: number): boolean {
    const messageLength = me - ms;
    if (b[offset] >= LABEL_TYPE_POINTER && offset + 2 <= me) {
      // The commonest name in a response: nothing but a pointer back to a name read before (an
      // answer's owner). The walk below with its checks, for this case: the pointer is 2 bytes
      // walked, and the known name's own pointers (if any) come that much later.
      const here = offset - ms;
      const target = ((b[offset] & ~LABEL_TYPE_MASK) << 8) | b[offset + 1];
      const known = target < here ? this.knownName(ms + target) : -1;
      if (known >= 0) {
        const rest = this.namePointerWalks[known];
        if (rest === 0 || (2 + rest < messageLength && 2 + rest < MAX_WALK_AFTER_POINTER_BYTES)) {
          this.text = this.nameTexts[known];
          this.id = this.nameIds[known];
          this.end = offset + 2;
          this.pointerOnly = true;
          return true;
        }
      }
    }
    this.pointerOnly = false;
    // A name written out in full (no pointer), as question names are: its labels' lengths are
    // checked here and it is interned by its bytes as they are on the wire, so that a name met
    // before is found without reading it byte by byte.
    let at = offset;
    let wireLength = 1;
    while (at < me) {
      const len = b[at];
      if (len === 0 || (len & LABEL_TYPE_MASK) !== 0) break;
      wireLength += 1 + len;
      if (at + 1 + len > me || wireLength > DNS_MAX_NAME_BYTES) return false;
      at += 1 + len;
    }
    if (at < me && b[at] === 0 && at > offset) {
      const text = this.internWire(b, offset, at + 1);
      if (text === null) return false;
      this.finish(offset, text, this.internedId, at + 1, wireLength, 0);
      return true;
    }
    const scratch = this.scratch;
    let pos = offset;
    let end = -1;
    let processed = 0;
    let processedBeforePointer = 0;
    /** `processed` after the last pointer followed (0: none). */
    let pointerWalk = 0;
    let wire = 1;
    let length = 0;
    let known = -1;
    for (;;) {
      if (pos >= me) return false;
      const len = b[pos];
      if (len === 0) {
        if (end < 0) end = pos + 1;
        break;
      }
      const type = len & LABEL_TYPE_MASK;
      if (type === 0) {
        if (pos + 1 + len > me) return false;
        processed += 1 + len;
        wire += 1 + len;
        if (wire > DNS_MAX_NAME_BYTES) return false;
        if (length > 0) {
          scratch[length++] = DOT;
        }
        for (let i = pos + 1, e = pos + 1 + len; i < e; i++) {
          const c = b[i];
          if (c < 0x20 || c > 0x7e) return false;
          scratch[length++] = c;
        }
        pos += 1 + len;
        continue;
      }
      if (type !== LABEL_TYPE_POINTER || pos + 2 > me) return false;
      const target = ((len & ~LABEL_TYPE_MASK) << 8) | b[pos + 1];
      if (end < 0) {
        end = pos + 2;
        processedBeforePointer = processed;
      }
      if (target >= messageLength) return false;
      processed += 2;
      const here = pos - ms;
      // A loop, as dns-name.ts tells one, or a forward pointer (reported there; it includes tshark
      // 4.0's loop of a pointer 4 bytes past itself): refused.
      if (target >= here || processed >= messageLength || processed - processedBeforePointer >= MAX_WALK_AFTER_POINTER_BYTES) return false;
      pointerWalk = processed;
      pos = ms + target;
      known = this.knownName(pos);
      if (known >= 0) break;
    }
    if (known >= 0) {
      // The rest is a name read before in this message: its checks passed then and depend only on
      // where its bytes are, except the walk's length (its own pointers, if any, come that much later).
      const rest = this.namePointerWalks[known];
      if (rest > 0) {
        pointerWalk = processed + rest;
        if (pointerWalk >= messageLength || pointerWalk - processedBeforePointer >= MAX_WALK_AFTER_POINTER_BYTES) return false;
      }
      wire += this.nameWires[known] - 1;
      if (wire > DNS_MAX_NAME_BYTES) return false;
      const suffix = this.nameTexts[known];
      if (length === 0) {
        this.finish(offset, suffix, this.nameIds[known], end, wire, pointerWalk);
        return true;
      }
      scratch[length++] = DOT;
      for (let i = 0; i < suffix.length; i++) scratch[length++] = suffix.charCodeAt(i);
    }
    if (length === 0) {
      // The root: not remembered (a pointer to it is read again).
      this.text = DNS_ROOT_TEXT;
      this.id = -1;
      this.end = end;
    } else {
      this.finish(offset, this.intern(length), this.internedId, end, wire, pointerWalk);
    }
    return true;
  }

  /** Sets the walk's result and remembers the name by where it starts. */
  private finish(offset: number, text: string, id: number, end: number, wire: number, pointerWalk: number): void {
    this.text = text;
    this.id = id;
    this.end = end;
    const n = this.names;
    if (n < MAX_NAMES_PER_MESSAGE) {
      this.nameStarts[n] = offset;
      this.nameTexts[n] = text;
      this.nameIds[n] = id;
      this.nameWires[n] = wire;
      this.namePointerWalks[n] = pointerWalk;
      this.names = n + 1;
    }
  }

  private knownName(at: number): number {
    const starts = this.nameStarts;
    for (let i = 0, n = this.names; i < n; i++) if (starts[i] === at) return i;
    return -1;
  }

  /** The serial number of the name `id` stands for: a new one each time an id is given to a name. */
  nameSerial(id: number): number {
    const base = (id >>> SET_WAY_BITS) * SET_WORDS;
    const way = id & (INTERN_WAYS - 1);
    return this.internTable[base + SET_SERIAL_HI + way] * 0x1_0000_0000 + (this.internTable[base + SET_SERIAL_LO + way] >>> 0);
  }

  /**
   * The name written out in full at `b[from, to)` (labels and the root byte): the interned string
   * when these bytes were met before, else its text (null when not plain ASCII) interned.
   */
  private internWire(b: Uint8Array, from: number, to: number): string | null {
    const length = to - from;
    const words = (length + 3) >>> 2;
    this.internedId = -1;
    if (words > INTERN_WORDS) return this.wireText(b, from);
    const w = this.keyWords;
    let view = this.view;
    if (this.viewOf !== b) {
      view = this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.viewOf = b;
    }
    const whole = length >>> 2;
    for (let i = 0; i < whole; i++) w[i] = view.getInt32(from + 4 * i, true);
    if (whole < words) {
      let last = 0;
      for (let i = from + 4 * whole, k = 0; i < to; i++, k += 8) last |= b[i] << k;
      w[whole] = last;
    }
    const key = length | WIRE_KEY;
    const id = this.lookUp(key, w, words);
    if (id >= 0) return this.internTexts[id];
    const text = this.wireText(b, from);
    if (text !== null) this.insert(key, w, words, text);
    return text;
  }

  /** The text of the labels from `b[from]` to the root byte (checked before), or null when not plain ASCII. */
  private wireText(b: Uint8Array, from: number): string | null {
    const scratch = this.scratch;
    let length = 0;
    for (let pos = from; b[pos] !== 0; pos += 1 + b[pos]) {
      if (length > 0) scratch[length++] = DOT;
      for (let i = pos + 1, e = pos + 1 + b[pos]; i < e; i++) {
        const c = b[i];
        if (c < 0x20 || c > 0x7e) return null;
        scratch[length++] = c;
      }
    }
    return textOf(scratch, length);
  }

  /**
   * The scratch text's string: the interned one when it is there, else a new one interned. Compared
   * and hashed four bytes at a time (per byte, hashing and comparing with the string's characters
   * took a third of the time the digest took on the DNS-heavy bench capture).
   */
  private intern(length: number): string {
    const words = (length + 3) >>> 2;
    this.internedId = -1;
    if (words > INTERN_WORDS) return textOf(this.scratch, length);
    const scratch = this.scratch;
    for (let i = length; i < words * 4; i++) scratch[i] = 0;
    const w = this.scratchWords;
    const id = this.lookUp(length, w, words);
    if (id >= 0) return this.internTexts[id];
    const text = textOf(scratch, length);
    this.insert(length, w, words, text);
    return text;
  }

  /** The slot holding `key` (a length, with WIRE_KEY for bytes on the wire) and the words `w[0, words)`, or -1; sets `internedId`. */
  private lookUp(key: number, w: Int32Array, words: number): number {
    let hash = key;
    for (let i = 0; i < words; i++) hash = Math.imul(hash ^ w[i], 0x9e3779b1) ^ (hash >>> 15);
    const set = (hash ^ (hash >>> 16)) & this.internSetMask;
    this.internSet = set;
    const base = set * SET_WORDS;
    const table = this.internTable;
    for (let way = 0; way < INTERN_WAYS; way++) {
      if (table[base + way] !== key) continue;
      const at = base + SET_NAMES + way * INTERN_WORDS;
      let i = 0;
      while (i < words && table[at + i] === w[i]) i++;
      if (i === words) {
        table[base + SET_MESSAGE + way] = this.message;
        return (this.internedId = (set << SET_WAY_BITS) | way);
      }
    }
    return -1;
  }

  /**
   * Interns `text` under `key` and `w[0, words)` in the set lookUp() just looked in: in the way
   * that filled longest ago among those no name of this message stands in (ids stay the same
   * names for the whole message); when all four do, the text is not interned (id -1).
   */
  private insert(key: number, w: Int32Array, words: number, text: string): void {
    const set = this.internSet;
    const base = set * SET_WORDS;
    const table = this.internTable;
    let way = this.internNext[set];
    for (let tries = 0; table[base + SET_MESSAGE + way] === this.message && table[base + way] !== 0; tries++) {
      if (tries === INTERN_WAYS - 1) return;
      way = (way + 1) % INTERN_WAYS;
    }
    this.internNext[set] = (way + 1) % INTERN_WAYS;
    const id = (set << SET_WAY_BITS) | way;
    const serial = ++this.serial;
    this.internTexts[id] = text;
    table[base + way] = key;
    table[base + SET_MESSAGE + way] = this.message;
    table[base + SET_SERIAL_LO + way] = serial | 0;
    table[base + SET_SERIAL_HI + way] = Math.floor(serial / 0x1_0000_0000);
    const at = base + SET_NAMES + way * INTERN_WORDS;
    for (let i = 0; i < words; i++) table[at + i] = w[i];
    this.internedId = id;
  }
}

/** `b[0, length)`, printable ASCII, as one flat string (asciiText() joins pieces: a rope, read through an indirection). */
function textOf(b: Uint8Array, length: number): string {
  return String.fromCharCode.apply(null, b.subarray(0, length) as unknown as number[]);
}
