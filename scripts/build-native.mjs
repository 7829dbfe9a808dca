#!/usr/bin/env node
/**
 * `node scripts/build-native.mjs [--optional]`: compiles native/*.cc into native/build/peephole-native.node
 * with g++ against Node's headers and OpenBLAS (Debian: `apt-get install libopenblas-dev`). Offline, no
 * node-gyp. Generic x86-64 code (no -march=native): OpenBLAS picks the CPU's kernels at run time.
 * With --optional a missing compiler, header or library prints why and exits 0 (peephole then trains on
 * its JavaScript backend); without it the build failing exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'native');
const outDir = join(sourceDir, 'build');
const outFile = join(outDir, 'peephole-native.node');
const optional = process.argv.includes('--optional');

function fail(message) {
  process.stderr.write(`build-native: ${message}\n`);
  process.exit(optional ? 0 : 1);
}

function firstExisting(candidates, file) {
  return candidates.find((dir) => existsSync(join(dir, file)));
}

const multiarch = spawnSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).stdout?.trim() || 'x86_64-linux-gnu';
const nodeHeaders = firstExisting(
  [
    process.env.NODE_INCLUDE_DIR,
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean),
  'node_api.h',
);
if (!nodeHeaders) fail('node_api.h not found (set NODE_INCLUDE_DIR, or install the nodejs headers)');

const blasHeaders = firstExisting(
  [
    process.env.OPENBLAS_INCLUDE_DIR,
    `/usr/include/${multiarch}/openblas-pthread`,
    `/usr/include/${multiarch}/openblas-openmp`,
    '/usr/include/openblas',
    '/usr/include',
  ].filter(Boolean),
  'cblas.h',
);
if (!blasHeaders) fail(`cblas.h not found: install libopenblas-dev (apt-get install -y libopenblas-dev)`);

const sources = readdirSync(sourceDir)
  .filter((name) => name.endsWith('.cc'))
  .map((name) => join(sourceDir, name));
mkdirSync(outDir, { recursive: true });
const args = [
  '-O3',
  '-std=c++17',
  '-shared',
  '-fPIC',
  '-fno-math-errno',
  '-fvisibility=hidden',
  '-Wall',
  '-Wextra',
  '-Wno-unused-parameter',
  '-DNODE_GYP_MODULE_NAME=peephole_native',
  '-DNAPI_VERSION=8',
  `-I${nodeHeaders}`,
  `-I${blasHeaders}`,
  ...sources,
  '-o',
  outFile,
  '-lopenblas',
];
const compiler = process.env.CXX || 'g++';
process.stderr.write(`build-native: ${compiler} ${args.join(' ')}\n`);
const result = spawnSync(compiler, args, { stdio: 'inherit' });
if (result.error) fail(`${compiler} did not run: ${result.error.message}`);
if (result.status !== 0) fail(`${compiler} exited with ${result.status} (is libopenblas-dev installed?)`);
process.stderr.write(`build-native: wrote ${outFile}\n`);
