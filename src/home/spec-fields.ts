/**
 * Reading a parsed home spec (plain JSON/YAML values) field by field: each reader checks one value's
 * type and range and throws a {@link SpecError} naming the source and the field's path
 * (`residents[0].routine.weekday[2].at`). Objects are read through {@link SpecObject}, which rejects
 * fields it was not told about, so a typo (`spreadMinuts`) is an error rather than a silent default.
 */
import { SpecError } from './spec-error.js';

/** Minutes in a day; a time of day may pass 24:00 (after midnight) up to {@link MAX_TIME_OF_DAY_MINUTES}. */
export const MINUTES_PER_DAY = 1440;
/** The latest time of day a spec may name: 47:59, the next day's last minute. */
export const MAX_TIME_OF_DAY_MINUTES = 2 * MINUTES_PER_DAY - 1;

const TIME_OF_DAY_RE = /^(\d{1,2}):(\d{2})$/;
const ID_RE = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/i;

/** Describes a value for an error message: strings quoted, others as JSON. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** The reading context: where the spec came from, for every error. */
export class SpecReader {
  constructor(readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new SpecError(this.source, path, problem);
  }

  /** An object whose fields are exactly some of `allowed`. */
  object(value: unknown, path: string, allowed: readonly string[]): SpecObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected an object, got ${shown(value)}`);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.fail(join(path, key), `unknown field (expected one of ${allowed.join(', ')})`);
    }
    return new SpecObject(this, record, path);
  }

  list(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${shown(value)}`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, `expected a non-empty string, got ${shown(value)}`);
    return value;
  }

  /** An id: letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters. */
  id(value: unknown, path: string): string {
    const text = this.string(value, path);
    if (!ID_RE.test(text)) this.fail(path, `expected an id of letters, digits, '-' and '_', got ${shown(text)}`);
    return text;
  }

  number(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, `expected a number, got ${shown(value)}`);
    if (value < min || value > max) this.fail(path, `expected a number from ${min} to ${max}, got ${value}`);
    return value;
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    const n = this.number(value, path, min, max);
    if (!Number.isInteger(n)) this.fail(path, `expected a whole number, got ${n}`);
    return n;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `expected true or false, got ${shown(value)}`);
    return value;
  }

  /** One of `choices`. */
  choice<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(path, `expected one of ${choices.join(', ')}, got ${shown(value)}`);
    }
    return value as T;
  }

  /** A time of day "HH:MM" in minutes after midnight; hours may pass 24 (after midnight) up to 47. */
  timeOfDay(value: unknown, path: string): number {
    const m = typeof value === 'string' ? TIME_OF_DAY_RE.exec(value) : null;
    if (m === null) this.fail(path, `expected a time of day "HH:MM", got ${shown(value)}`);
    const minutes = Number(m[1]) * 60 + Number(m[2]);
    if (Number(m[2]) >= 60 || minutes > MAX_TIME_OF_DAY_MINUTES) {
      this.fail(path, `expected a time of day "HH:MM" from 00:00 to 47:59, got ${shown(value)}`);
    }
    return minutes;
  }

  /** A pair [low, high] of numbers in [min, max] with low <= high. */
  range(value: unknown, path: string, min: number, max: number): readonly [number, number] {
    const items = this.list(value, path);
    if (items.length !== 2) this.fail(path, `expected a pair [low, high], got ${items.length} values`);
    const low = this.number(items[0], `${path}[0]`, min, max);
    const high = this.number(items[1], `${path}[1]`, min, max);
    if (high < low) this.fail(path, `expected low <= high, got [${low}, ${high}]`);
    return [low, high];
  }

  /** A time window ["HH:MM", "HH:MM"] in minutes, the end after the start and at most `maxEnd`. */
  window(value: unknown, path: string, maxEnd: number): readonly [number, number] {
    const items = this.list(value, path);
    if (items.length !== 2) this.fail(path, `expected a window ["HH:MM", "HH:MM"], got ${items.length} values`);
    const from = this.timeOfDay(items[0], `${path}[0]`);
    const to = this.timeOfDay(items[1], `${path}[1]`);
    if (to <= from) this.fail(path, `expected the window's end after its start, got ${shown(items[0])} to ${shown(items[1])}`);
    if (to > maxEnd) this.fail(`${path}[1]`, `expected a time no later than ${formatTimeOfDay(maxEnd)}, got ${shown(items[1])}`);
    return [from, to];
  }
}

/** An object being read: each field is read once by name, with its path known. */
export class SpecObject {
  constructor(
    private readonly reader: SpecReader,
    private readonly record: Record<string, unknown>,
    readonly path: string,
  ) {}

  has(key: string): boolean {
    return this.record[key] !== undefined;
  }

  /** The field's value and path; a missing required field is an error. */
  required(key: string): [unknown, string] {
    const value = this.record[key];
    if (value === undefined) this.reader.fail(join(this.path, key), 'required field missing');
    return [value, join(this.path, key)];
  }

  /** The field's value and path, or undefined when absent. */
  optional(key: string): [unknown, string] {
    return [this.record[key], join(this.path, key)];
  }

  fieldPath(key: string): string {
    return join(this.path, key);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** "HH:MM" for minutes after midnight (hours past 24 kept). */
export function formatTimeOfDay(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
