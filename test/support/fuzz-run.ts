// What the fuzz test runs for each mutation, and what it requires of each run: shared by the worker
// thread (the CLI's main() in-process) and the test (the built command spawned for a sample).

/** One command line without its file: the file goes after the command name. */
export type Variant = readonly string[];

/**
 * Every command that reads a capture, with its output variants. A mutation goes through each command
 * once, in the variant its index picks; `timeline` writes CSV to stdout (`--plot` is spawned only).
 */
export function commandVariants(model: string): Variant[][] {
  return [
    [['packets'], ['packets', '--csv'], ['packets', '--json']],
    [['inspect'], ['inspect', '--json']],
    [['devices'], ['devices', '--json', '--evidence']],
    [['timeline', '--csv', '-']],
    [['attack', '--model', model], ['attack', '--model', model, '--json']],
  ];
}

/** The command lines mutation `index` runs, with `file` in place. */
export function commandLines(model: string, index: number, file: string): string[][] {
  return commandVariants(model).map((variants) => {
    const [command, ...rest] = variants[index % variants.length];
    return [command, file, ...rest];
  });
}

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// C0 controls other than tab and line feed, and DEL: text from the wire must be shown, not obeyed.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// A JSON document (inspect, devices, attack --json) carries wire text as JSON strings: C0 controls
// escaped by JSON.stringify, DEL as itself (data for a program; a terminal shows nothing for it).
// eslint-disable-next-line no-control-regex
const CONTROL_IN_JSON = /[\u0000-\u0008\u000b-\u001f]/;

/**
 * What is wrong with a run, if anything: an exit code other than 0 or 1; anything on stderr but one
 * line `peephole: FILE: ...` (none at exit 0), a stack trace or an internal error; stdout with
 * control characters, or not in its format (TSV rows of the header's width, JSON, NDJSON).
 */
export function runProblems(argv: readonly string[], r: RunResult, fileShown: string): string[] {
  const problems: string[] = [];
  if (r.code !== 0 && r.code !== 1) problems.push(`exit code ${r.code}`);
  if (r.code === 0 && r.stderr !== '') problems.push(`exit 0 with stderr ${JSON.stringify(r.stderr.slice(0, 300))}`);
  if (r.code !== 0) {
    const lines = r.stderr.endsWith('\n') ? r.stderr.slice(0, -1).split('\n') : [r.stderr];
    if (lines.length !== 1) problems.push(`${lines.length} lines on stderr: ${JSON.stringify(r.stderr.slice(0, 500))}`);
    if (!lines[0].startsWith(`peephole: ${fileShown}: `)) problems.push(`stderr does not name the file: ${JSON.stringify(lines[0].slice(0, 300))}`);
    if (/internal error|^\s+at /m.test(r.stderr)) problems.push(`internal error or stack: ${JSON.stringify(r.stderr.slice(0, 500))}`);
  }
  const text = r.stdout.toString('utf8');
  const json = argv.includes('--json');
  const control = (json && argv[0] !== 'packets' ? CONTROL_IN_JSON : CONTROL).exec(text);
  if (control) problems.push(`control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} on stdout at ${control.index}`);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (argv[0] === 'packets' && json) {
    body.split('\n').forEach((line, i) => {
      if (line === '') return;
      try {
        JSON.parse(line);
      } catch {
        if (problems.length < 5) problems.push(`NDJSON line ${i + 1} does not parse: ${JSON.stringify(line.slice(0, 200))}`);
      }
    });
  } else if (argv[0] === 'packets' && !argv.includes('--csv')) {
    const [header, ...rows] = body.split('\n');
    const width = header.split('\t').length;
    const bad = rows.findIndex((row) => row.split('\t').length !== width);
    if (bad >= 0) problems.push(`TSV row ${bad + 1} has ${rows[bad].split('\t').length} cells, the header ${width}`);
  } else if (json && text !== '') {
    try {
      JSON.parse(text);
    } catch (error) {
      problems.push(`--json output does not parse: ${String(error).slice(0, 200)}`);
    }
  }
  return problems;
}
