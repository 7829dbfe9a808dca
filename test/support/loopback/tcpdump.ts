// One tcpdump recording: started, waited for until it listens, stopped with SIGINT so it writes its last
// packets and statistics, and checked that the kernel dropped nothing.
import { startDaemon } from './child-processes.js';
import type { Daemon } from './child-processes.js';
import type { LinkTypeName, RecordingPlan } from './plan.js';

const READY_TIMEOUT_MS = 5000;
/**
 * Kernel capture buffer in KiB. In immediate mode each ring slot holds a whole snapshot (256 KiB on
 * `any`), so the default 2 MiB holds 8 packets and bursts get dropped.
 */
const BUFFER_KIB = 32768;
const LISTENING = /listening on \S+, link-type (\S+)/;

export interface RunningCapture {
  readonly plan: RecordingPlan;
  readonly file: string;
  /** The link type tcpdump reported it uses. */
  readonly linkType: string;
  readonly daemon: Daemon;
}

export interface CaptureResult {
  readonly plan: RecordingPlan;
  readonly file: string;
  readonly linkType: string;
  readonly packets: number;
  readonly log: string;
}

/**
 * Starts tcpdump for `plan` into `file`; `forceLinkType` adds `-y`, null keeps tcpdump's default;
 * `netns` runs it in that network namespace (`ip netns exec`, which execs tcpdump: signals reach it).
 * `--immediate-mode` hands every packet over at once (otherwise packets still in a TPACKET_V3 block are
 * lost at SIGINT), `-U` writes each to the file as it comes, `-Z root` keeps the right to write the file.
 */
export async function startCapture(plan: RecordingPlan, file: string, forceLinkType: LinkTypeName | null, netns: string | null = null): Promise<RunningCapture> {
  const args = ['-i', plan.iface, '--immediate-mode', '-U', '-n', '-B', String(BUFFER_KIB), '-Z', 'root', '-w', file];
  if (forceLinkType !== null) args.push('-y', forceLinkType);
  args.push(plan.filter);
  const command = netns === null ? { command: 'tcpdump', args } : { command: 'ip', args: ['netns', 'exec', netns, 'tcpdump', ...args] };
  const daemon = await startDaemon({ name: `tcpdump ${plan.name}`, ...command, readyPattern: LISTENING, readyTimeoutMs: READY_TIMEOUT_MS });
  const linkType = LISTENING.exec(daemon.output())?.[1] ?? 'unknown';
  return { plan, file, linkType, daemon };
}

/** Stops the capture and returns what it recorded; throws if the kernel dropped packets or it failed. */
export async function stopCapture(capture: RunningCapture): Promise<CaptureResult> {
  const status = await capture.daemon.stop('SIGINT');
  const log = capture.daemon.output();
  const packets = Number(/(\d+) packets? captured/.exec(log)?.[1] ?? Number.NaN);
  const dropped = Number(/(\d+) packets? dropped by kernel/.exec(log)?.[1] ?? Number.NaN);
  if (status !== '0' || !Number.isFinite(packets)) throw new Error(`tcpdump ${capture.plan.name} ended with ${status}:\n${log}`);
  if (dropped !== 0) throw new Error(`tcpdump ${capture.plan.name}: the kernel dropped ${dropped} packets:\n${log}`);
  return { plan: capture.plan, file: capture.file, linkType: capture.linkType, packets, log };
}
