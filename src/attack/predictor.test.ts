import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Imports that load something at run time: static, side-effect, re-exports and dynamic; `import type` and `export type` load nothing. */
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every package a module loads, following its relative imports through src/, with the chain that reaches it. */
function packagesLoadedBy(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(RUNTIME_IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        assert.ok(existsSync(target), `${relative(SRC, file)} imports ${spec}, not found`);
        visit(target, [...chain, relative(SRC, target)]);
      } else if (!spec.startsWith('node:') && !packages.has(spec)) {
        packages.set(spec, chain);
      }
    }
  };
  visit(entry, [relative(SRC, entry)]);
  return packages;
}

test('building a predictor from a model folder loads no TensorFlow.js (its import cost ~0.3 s of every peephole attack)', () => {
  const loaded = packagesLoadedBy(join(SRC, 'attack', 'predictor.ts'));
  const tfjs = [...loaded].filter(([name]) => name.startsWith('@tensorflow/')).map(([name, chain]) => `${name} via ${chain.join(' → ')}`);
  assert.deepEqual(tfjs, []);
});

test('the import walk finds TensorFlow.js where it is loaded (training), so the test above can fail', () => {
  const loaded = packagesLoadedBy(join(SRC, 'attack', 'fit-preset.ts'));
  assert.ok(loaded.has('@tensorflow/tfjs-layers'), [...loaded.keys()].join(', '));
  assert.ok(loaded.has('@tensorflow/tfjs-core'), [...loaded.keys()].join(', '));
});
