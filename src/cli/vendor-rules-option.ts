/**
 * The vendor rules a command uses: the shipped table, with the user's `--rules FILE` on top. An
 * unreadable or bad file is bad input (exit 1) with a message naming the file (and the line).
 */
import { readFileSync } from 'node:fs';
import { defaultVendorRules, type VendorRules } from '../observe/vendor-rules.js';
import { InputError } from './errors.js';

export function vendorRulesOption(file: string | undefined): VendorRules {
  const rules = defaultVendorRules();
  if (!file) return rules;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
  try {
    return rules.withUserRules(text, file);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}
