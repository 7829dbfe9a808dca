// manifest.json in the loopback cache: which files the recording script wrote, in which format and link
// type, with how many packets, and how they were made (which DNS client, whether curl ran).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CaptureFormatName } from '../capture-formats.js';
import type { DnsClientName } from './dns-exchanges.js';

export const MANIFEST_FILE = 'manifest.json';

export interface RecordedFile {
  /** Recording name from the plan (`lo-dns`, `any-sll2`, ...). */
  readonly recording: string;
  readonly format: CaptureFormatName;
  /** File name inside the cache folder. */
  readonly file: string;
  /** Link type tcpdump reported (`EN10MB`, `LINUX_SLL`, `LINUX_SLL2`). */
  readonly linkType: string;
  readonly packets: number;
}

export interface LoopbackManifest {
  /** Hash of the recorder's sources and the tools it found; a different stamp means record again. */
  readonly stamp: string;
  readonly recordedAt: string;
  readonly dnsClient: DnsClientName;
  readonly curlUsed: boolean;
  /** Link type tcpdump picks on `any` when not told (`-y`). */
  readonly anyDefaultLinkType: string;
  readonly tcpdumpVersion: string;
  readonly files: readonly RecordedFile[];
}

export function writeManifest(dir: string, manifest: LoopbackManifest): void {
  writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The manifest in `dir`, or null when it is missing, unreadable or lists a file that is not there. */
export function readManifest(dir: string): LoopbackManifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as LoopbackManifest;
    if (!Array.isArray(manifest.files) || manifest.files.length === 0) return null;
    return manifest.files.every((entry) => existsSync(path.join(dir, entry.file))) ? manifest : null;
  } catch {
    return null;
  }
}
