// The package as a user gets it: `npm pack` of the built project, installed from the tarball into an
// empty folder, imported by name. Runs the README's "Use it as a library" example as it is written
// there, so the README cannot drift from the API, and checks that the public surface (src/index.ts)
// resolves through package.json's `exports` with its types beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './support/paths.js';

/** The first ```js block under the README's "Use it as a library" heading. */
function readmeExample(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Use it as a library'));
  assert.ok(section, 'README.md has a "## Use it as a library" section');
  const block = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the section holds a ```js example');
  return block[1]!;
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return r.stdout;
}

test('the packed package installs and its public API runs the README example', { timeout: 300_000 }, () => {
  assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'index.js')), 'dist/index.js is built (npm run build)');
  const dir = mkdtempSync(path.join(tmpdir(), 'peephole-package-'));
  // --ignore-scripts: the tarball is made from the build the test command has just made.
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], REPO_ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  const app = path.join(dir, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', path.join(dir, tarball)], app);

  const installed = path.join(app, 'node_modules', 'peephole');
  const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
    exports: { '.': { types: string; default: string } };
  };
  assert.ok(existsSync(path.join(installed, manifest.exports['.'].types)), 'the types named by exports are in the tarball');
  const shipped = (sub: string) => readdirSync(path.join(installed, 'dist', sub), { recursive: true }).map(String);
  const testCode = ['uses', 'capture', 'home'].flatMap((d) => shipped(d)).filter((f) => /(^|\/)(test-[^/]*|[^/]*\.test)\.(js|d\.ts)$/.test(f));
  assert.deepEqual(testCode, [], 'no test or test kit ships in dist/');

  writeFileSync(path.join(app, 'example.mjs'), readmeExample());
  const out = run('node', ['example.mjs'], app);
  // The example simulates a day of the family home and reads it back: its devices, named.
  assert.match(out, /^\d+ packets, \d+ devices$/m);
  assert.match(out, /Yale\s+lock/);
  assert.match(out, /wake_up|leave_home|return_home|go_to_bed/, 'the residents day is inferred');
});
