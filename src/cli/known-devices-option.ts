/**
 * What the user knows of the devices (`--known FILE`, for `devices` and `attack`): none without a
 * file; an unreadable or bad file is bad input (exit 1) with a message naming the file and the line.
 */
import { readFileSync } from 'node:fs';
import { KnownDevicesError, parseKnownDevices, type KnownDevice } from '../observe/known-devices.js';
import { InputError } from './errors.js';

export function knownDevicesOption(file: string | undefined): KnownDevice[] {
  if (!file) return [];
  try {
    return parseKnownDevices(readFileSync(file, 'utf8'), file);
  } catch (error) {
    throw new InputError(error instanceof KnownDevicesError ? error.message : `${file}: ${(error as Error).message}`);
  }
}
