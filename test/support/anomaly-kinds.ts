// Every anomaly kind the decoders document: the keys of each `*_ANOMALIES` table exported by a module
// under src/decode (found by walking the folder, so a new layer module is covered without a list).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, typeScriptFiles } from './paths.js';

const DECODE_DIR = path.join(REPO_ROOT, 'src', 'decode');
const TABLE_NAME = /_ANOMALIES$/;

function modules(dir: string): string[] {
  return typeScriptFiles(dir).filter((file) => !file.endsWith('.test.ts'));
}

/** The documented kinds, and for each the table that documents it. */
export async function documentedAnomalyKinds(): Promise<Map<string, string>> {
  const kinds = new Map<string, string>();
  for (const file of modules(DECODE_DIR)) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (!TABLE_NAME.test(name) || typeof value !== 'object' || value === null) continue;
      for (const kind of Object.keys(value)) if (!kinds.has(kind)) kinds.set(kind, `${path.relative(REPO_ROOT, file)} ${name}`);
    }
  }
  return kinds;
}
