/**
 * A home spec (or a traffic profile it names) that cannot be used: the message names the file and
 * the field, as `family.json: devices[2].mac: expected "aa:bb:cc:dd:ee:ff", got "zz"`.
 */
import { atPlace, BadInputError } from '../core/bad-input-error.js';

export class SpecError extends BadInputError {
  override readonly name: string = 'SpecError';
  declare readonly file: string;
  declare readonly field: string;

  constructor(
    /** Where the spec came from: a file path, or the built-in home's name. */
    readonly source: string,
    /** The field, as a path: `residents[0].routine.weekday[1].at`; '' for the whole spec. */
    field: string,
    readonly problem: string,
  ) {
    super(atPlace({ file: source, field }, problem), { file: source, field });
  }
}
