// The layering of src/ (src/core/stages.ts): every library module imports only from its own stage or
// an earlier one. A failure names the file, the line and the two stages, so a wrong import is found
// where it is written, not when the next feature needs room.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { STAGES } from '../src/core/stages.js';
import { SRC_DIR, typeScriptFiles } from './support/paths.js';

/** A shipped module: not a test, not a test kit (the naming rule of tsconfig.build.json). */
function isLibraryModule(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return !name.endsWith('.test.ts') && !name.startsWith('test-');
}

/** The stage of a file under src/ (its first folder), or null for src/index.ts, which may import anything. */
function stageOf(file: string): string | null {
  const parts = relative(SRC_DIR, file).split('/');
  return parts.length > 1 ? parts[0]! : null;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every import against the stage order in the given library modules (path and text), one line each. */
function importViolations(modules: ReadonlyArray<{ file: string; text: string }>): string[] {
  const rank = new Map<string, number>(STAGES.map((s, i) => [s, i]));
  const found: string[] = [];
  for (const { file, text } of modules) {
    if (!isLibraryModule(file)) continue;
    const from = stageOf(file);
    for (const m of text.matchAll(IMPORT)) {
      const target = resolve(file, '..', m[1]!);
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${relative(SRC_DIR, file)}:${line}`;
      if (from === null) continue;
      const to = stageOf(target);
      if (!rank.has(from)) found.push(`${where}: folder src/${from}/ is not a stage of src/core/stages.ts`);
      else if (to === null) found.push(`${where}: imports src/index.ts, the public surface (a stage imports the module itself)`);
      else if (!rank.has(to)) found.push(`${where}: imports src/${to}/, which is not a stage of src/core/stages.ts`);
      else if (rank.get(to)! > rank.get(from)!) found.push(`${where}: ${from}/ imports ${to}/ (${m[1]}), a later stage`);
    }
  }
  return found;
}

const readModule = (file: string) => ({ file, text: readFileSync(file, 'utf8') });

test('every library module imports only from its own stage or an earlier one', () => {
  assert.deepEqual(importViolations(typeScriptFiles(SRC_DIR).map(readModule)), []);
});

test('an import against the order is reported with its file, line and stages', () => {
  const file = join(SRC_DIR, 'decode', 'app', 'dns.ts');
  const text = readFileSync(file, 'utf8');
  // Planted on line 2: the decoder reaching up into the observer.
  const planted = text.replace('\n', "\nimport { identifyDevices } from '../../observe/identify.js';\n");
  assert.deepEqual(importViolations([{ file, text: planted }]), [
    "decode/app/dns.ts:2: decode/ imports observe/ (../../observe/identify.js), a later stage",
  ]);
  const kit = join(SRC_DIR, 'decode', 'test-kit-planted.ts');
  assert.deepEqual(importViolations([{ file: kit, text: planted }]), [], 'test kits may import any stage');
  const stray = join(SRC_DIR, 'stray', 'x.ts');
  assert.deepEqual(importViolations([{ file: stray, text: "import { x } from '../core/bytes.js';\n" }]), [
    'stray/x.ts:1: folder src/stray/ is not a stage of src/core/stages.ts',
  ]);
});
