/**
 * Runs a study's stages in order, timing each, and keeps what each one returned in
 * `out/stages/<stage>.json` beside the files it wrote, so that a later run can start from any stage
 * (`--from STAGE`): the stages before it are not run again, their results and files are read back
 * from what the earlier run kept. A kept result is used only when it was made with the same settings
 * (seed, days, mode, inputs); a missing or different one is bad input naming its file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BadInputError, readInputText } from '../core/bad-input-error.js';
import { wireJson } from '../core/table-format.js';

/** What a written file is for (study/result.ts `StudyFileRole` says each). */
export type StageFileRole = 'data' | 'capture' | 'model' | 'figure' | 'figure-data' | 'table' | 'report' | 'stage';

export interface StageFile {
  readonly role: StageFileRole;
  readonly path: string;
}

export interface StageTime<S extends string> {
  readonly name: S;
  /** What the stage does, in words. */
  readonly does: string;
  readonly seconds: number;
  /** True when this run read the stage's result back from an earlier run's files (`from`). */
  readonly kept: boolean;
}

export interface StageEvents<S extends string> {
  /** Called as each stage starts (not for a kept stage): its place among `total`, from 1. */
  readonly onStageStart?: (stage: S, index: number, total: number) => void;
  /** Called as each stage ends, with its seconds (a kept stage: the seconds it took when it ran). */
  readonly onStage?: (stage: S, seconds: number, kept: boolean) => void;
}

/** The folder under `out` where each stage's result is kept. */
export const STAGES_DIR = 'stages';

/** What `out/stages/<stage>.json` holds. */
interface KeptStage {
  readonly stage: string;
  readonly settings: unknown;
  readonly seconds: number;
  readonly files: readonly StageFile[];
  readonly value: unknown;
}

export class StageRunner<S extends string> {
  /** Every file written (or kept), in the order of the stages. */
  readonly files: StageFile[] = [];
  readonly stages: StageTime<S>[] = [];
  private current: StageFile[] | null = null;
  private readonly names: readonly S[];

  /**
   * @param settings what makes a stage's result what it is (seed, days, inputs…), for every stage or
   *   stage by stage: a kept result made with other settings is refused.
   * @param from the first stage to run; null runs them all.
   */
  constructor(
    private readonly out: string,
    private readonly list: readonly { readonly name: S; readonly does: string }[],
    private readonly settings: Readonly<Record<string, unknown>> | ((stage: S) => Readonly<Record<string, unknown>>),
    private readonly from: S | null,
    private readonly events: StageEvents<S> = {},
  ) {
    this.names = list.map((s) => s.name);
    if (from !== null && !this.names.includes(from)) throw new RangeError(`Cannot start at stage ${from}: the stages are ${this.names.join(', ')}`);
  }

  /** Records a file (or folder) written by the running stage, and returns its path. */
  wrote(role: StageFileRole, path: string): string {
    this.files.push({ role, path });
    this.current?.push({ role, path });
    return path;
  }

  /** Writes `content` to `path` and records it. */
  write(role: StageFileRole, path: string, content: string | Uint8Array): void {
    writeFileSync(this.wrote(role, path), content);
  }

  private settingsOf(name: S): Readonly<Record<string, unknown>> {
    return typeof this.settings === 'function' ? this.settings(name) : this.settings;
  }

  private keptPath(name: S): string {
    return join(this.out, STAGES_DIR, `${name}.json`);
  }

  /** Runs stage `name` (or reads its kept result back, when it comes before `from`). */
  async run<T>(name: S, run: () => T | Promise<T>): Promise<T> {
    const index = this.names.indexOf(name);
    if (index < 0) throw new RangeError(`Cannot run stage ${name}: not one of ${this.names.join(', ')}`);
    const does = this.list[index].does;
    if (this.from !== null && index < this.names.indexOf(this.from)) {
      const kept = this.readKept(name);
      for (const f of kept.files) this.files.push(f);
      this.files.push({ role: 'stage', path: this.keptPath(name) });
      this.stages.push({ name, does, seconds: kept.seconds, kept: true });
      this.events.onStage?.(name, kept.seconds, true);
      return kept.value as T;
    }
    this.events.onStageStart?.(name, index + 1, this.names.length);
    const files: StageFile[] = [];
    this.current = files;
    const start = performance.now();
    let value: T;
    try {
      value = await run();
    } finally {
      this.current = null;
    }
    const seconds = (performance.now() - start) / 1000;
    const path = this.keptPath(name);
    mkdirSync(join(this.out, STAGES_DIR), { recursive: true });
    const kept: KeptStage = { stage: name, settings: this.settingsOf(name), seconds, files, value: value ?? null };
    // Through the one rule for JSON, as every file written: a kept name from the wire is shown inert (and
    // every later output shows it the same way, the rule being idempotent).
    writeFileSync(path, wireJson(kept) + '\n');
    this.files.push({ role: 'stage', path });
    this.stages.push({ name, does, seconds, kept: false });
    this.events.onStage?.(name, seconds, false);
    return value;
  }

  private readKept(name: S): KeptStage {
    const path = this.keptPath(name);
    const text = readInputText(path, `; stage ${name} has no kept result: run the study without --from, or from an earlier stage`);
    let kept: KeptStage;
    try {
      kept = JSON.parse(text) as KeptStage;
    } catch (err) {
      throw new BadInputError(`${path}: not a kept stage result (${(err as Error).message}); run the study again without --from`, { file: path });
    }
    if (kept === null || typeof kept !== 'object' || kept.stage !== name || typeof kept.seconds !== 'number' || !Array.isArray(kept.files)) {
      throw new BadInputError(`${path}: not the kept result of stage ${name}; run the study again without --from`, { file: path });
    }
    const want = JSON.stringify(this.settingsOf(name));
    const got = JSON.stringify(kept.settings);
    if (got !== want) throw new BadInputError(`${path}: made with other settings (${got}, not ${want}); run the study again without --from, or with the settings it was made with`, { file: path });
    return kept;
  }
}
