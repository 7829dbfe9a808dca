/**
 * The vendor rules a command uses: the shipped table, with the user's `--rules FILE` on top. An
 * unreadable file or a bad rule is bad input (exit 1) with a message naming the file (and the line);
 * any other error is a bug and stays one.
 */
import { BadInputError, readInputText } from '../core/bad-input-error.js';
import { defaultVendorRules, VendorRulesError, type VendorRules } from '../observe/vendor-rules.js';

export function vendorRulesOption(file: string | undefined): VendorRules {
  const rules = defaultVendorRules();
  if (!file) return rules;
  const text = readInputText(file);
  try {
    return rules.withUserRules(text, file);
  } catch (error) {
    if (error instanceof VendorRulesError && !(error instanceof BadInputError)) throw new BadInputError(error.message, { file: error.file, line: error.line });
    throw error;
  }
}
