/**
 * Memory for frames and their random bytes, made for speed: frames are cut from large slabs (one
 * allocation per megabyte, not per frame), and ciphertext-like bytes come from a seeded xorshift128
 * generator (the same seed gives the same bytes on every machine).
 */
const SLAB_BYTES = 1 << 20;

export class FrameSlab {
  private slab = new Uint8Array(SLAB_BYTES);
  private used = 0;

  /** `n` bytes of fresh memory that stay valid while the frame is held. */
  alloc(n: number): Uint8Array {
    if (n > SLAB_BYTES / 4) return new Uint8Array(n);
    if (this.used + n > SLAB_BYTES) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.used = (at + n + 7) & ~7;
    return this.slab.subarray(at, at + n);
  }
}

/** Random bytes drawn once per generator; payloads are copied from it at random offsets. */
const POOL_BYTES = 1 << 18;
const POOL_CHUNK_BYTES = POOL_BYTES >>> 1;

export class PayloadRandom {
  private x: number;
  private y = 362436069;
  private z = 521288629;
  private w = 88675123;
  private readonly pool = new Uint8Array(POOL_BYTES);

  constructor(seed: number) {
    this.x = (seed >>> 0) ^ 0x9e3779b9 || 123456789;
    for (let i = 0; i < 8; i++) this.word();
    for (let i = 0; i < POOL_BYTES; i += 4) {
      const r = this.word();
      this.pool[i] = r;
      this.pool[i + 1] = r >>> 8;
      this.pool[i + 2] = r >>> 16;
      this.pool[i + 3] = r >>> 24;
    }
  }

  /** A uniformly random unsigned 32-bit integer. */
  word(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = (this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.w;
  }

  /**
   * Fills `b[start..end)` with bytes that look random (ciphertext): runs of the generator's pool of
   * random bytes, each from a random offset (a memory copy, not a generator call per byte).
   */
  fill(b: Uint8Array, start: number, end: number): void {
    const pool = this.pool;
    for (let at = start; at < end; ) {
      const n = Math.min(end - at, POOL_CHUNK_BYTES);
      const from = this.word() % (POOL_BYTES - n + 1);
      b.set(n === POOL_BYTES ? pool : pool.subarray(from, from + n), at);
      at += n;
    }
  }
}
