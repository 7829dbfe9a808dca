/**
 * What the user knows of the devices (`--known FILE`, for `devices` and `attack`): none without a
 * file; an unreadable file or a bad row is bad input (exit 1: a `FileAccessError` or a
 * `KnownDevicesError`, both naming the file, the row's line); any other error is a bug and stays one.
 */
import { readInputText } from '../core/bad-input-error.js';
import { parseKnownDevices, type KnownDevice } from '../observe/known-devices.js';

export function knownDevicesOption(file: string | undefined): KnownDevice[] {
  return file ? parseKnownDevices(readInputText(file), file) : [];
}
