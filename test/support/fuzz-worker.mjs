// The fuzz test's worker thread: runs command lines through the built CLI's own main() (the bundle
// bin/peephole.js loads, `npm run build` first), one at a time as the test sends them, with stdout and
// stderr caught per run. The bundle runs the command line it was started with when it is imported:
// the test starts this worker with `--version`, and main() is then called for each run.
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';

/** A stream that keeps what is written: stdout or stderr of one run. */
function catcher(chunks) {
  return new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
}

function setStdio(out, err) {
  Object.defineProperty(process, 'stdout', { value: catcher(out), configurable: true, writable: true });
  Object.defineProperty(process, 'stderr', { value: catcher(err), configurable: true, writable: true });
}

setStdio([], []);
const { main } = await import(new URL('../../dist/peephole.mjs', import.meta.url).href);

parentPort.on('message', async (argv) => {
  const out = [];
  const err = [];
  setStdio(out, err);
  const started = performance.now();
  const code = await main(argv);
  const ms = performance.now() - started;
  const stdout = Buffer.concat(out);
  const bytes = stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length);
  parentPort.postMessage({ code, stdout: bytes, stderr: Buffer.concat(err).toString('utf8'), ms, rss: process.memoryUsage.rss() }, [bytes]);
});
parentPort.postMessage('ready');
