// Starting and stopping the helper processes of a recording (dnsmasq, openssl s_server, tcpdump) and
// running the clients (dig, openssl s_client, curl). Every process started here is registered and killed
// when this process exits, however it exits (normal end, thrown error, SIGINT, SIGTERM).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const STOP_GRACE_MS = 3000;
const EXIT_CODE_SIGINT = 130;
const EXIT_CODE_SIGTERM = 143;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  process.on('SIGINT', () => process.exit(EXIT_CODE_SIGINT));
  process.on('SIGTERM', () => process.exit(EXIT_CODE_SIGTERM));
}

/** A long-running helper process that has said it is ready. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal`, waits for it to exit (SIGKILL after a grace period), returns its exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<string>;
}

export interface DaemonOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Ready once stdout or stderr matches this. */
  readonly readyPattern: RegExp;
  readonly readyTimeoutMs: number;
}

/** Starts a helper and resolves once its output matches `readyPattern`; rejects with its output if it exits first. */
export function startDaemon(options: DaemonOptions): Promise<Daemon> {
  installExitHook();
  const child = spawn(options.command, [...options.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let text = '';
  let exitStatus: string | null = null;
  const closed = new Promise<string>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      exitStatus = code === null ? String(signal) : String(code);
      resolve(exitStatus);
    });
  });
  const daemon: Daemon = {
    name: options.name,
    pid: child.pid ?? -1,
    output: () => text,
    stop: async (signal: NodeJS.Signals = 'SIGTERM'): Promise<string> => {
      if (exitStatus !== null) return exitStatus;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      const status = await closed;
      clearTimeout(timer);
      return status;
    },
  };
  return new Promise<Daemon>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === null) resolve(daemon);
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      if (options.readyPattern.test(text)) settle(null);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => settle(new Error(`${options.name}: cannot start ${options.command}: ${error.message}`)));
    void closed.then((status) =>
      settle(new Error(`${options.name} exited (${status}) before it was ready; its output:\n${text}`)),
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(new Error(`${options.name} was not ready after ${options.readyTimeoutMs} ms; its output:\n${text}`));
    }, options.readyTimeoutMs);
  });
}

export interface CommandResult {
  readonly status: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a client to completion with stdin from /dev/null; kills it after `timeoutMs`. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
  installExitHook();
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise<CommandResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ status: code === null ? String(signal) : String(code), stdout, stderr });
    });
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
