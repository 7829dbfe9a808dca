/**
 * What the user knows of the devices (`--known FILE`, for `devices` and `attack`): none without a
 * file; an unreadable file or a bad row is bad input (exit 1) with a message naming the file and the
 * line; any other error is a bug and stays one.
 */
import { BadInputError, readInputText } from '../core/bad-input-error.js';
import { KnownDevicesError, parseKnownDevices, type KnownDevice } from '../observe/known-devices.js';

export function knownDevicesOption(file: string | undefined): KnownDevice[] {
  if (!file) return [];
  const text = readInputText(file);
  try {
    return parseKnownDevices(text, file);
  } catch (error) {
    if (error instanceof KnownDevicesError && !(error instanceof BadInputError)) throw new BadInputError(error.message, { file: error.file, line: error.line });
    throw error;
  }
}
