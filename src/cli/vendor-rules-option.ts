/**
 * The vendor rules a command uses: the shipped table, with the user's `--rules FILE` on top. An
 * unreadable file or a bad rule is bad input (exit 1: a `FileAccessError` or a `VendorRulesError`,
 * both naming the file, the rule's line); any other error is a bug and stays one.
 */
import { readInputText } from '../core/bad-input-error.js';
import { defaultVendorRules, type VendorRules } from '../observe/vendor-rules.js';

export function vendorRulesOption(file: string | undefined): VendorRules {
  const rules = defaultVendorRules();
  return file ? rules.withUserRules(readInputText(file), file) : rules;
}
