/**
 * A labelled home from files anyone can write: its device uses (an events CSV, `time,device,kind`, as
 * `peephole attack` reads) and its residents' activities (a labels CSV):
 *
 * | column | meaning |
 * | --- | --- |
 * | `time` | when the activity happened, written as in an events CSV (ISO 8601 with `Z` or an offset, or epoch seconds) |
 * | `activity` | one of `wake_up`, `leave_home`, `return_home`, `leave_temporarily`, `go_to_bed` |
 * | `resident` | optional: who (kept for the record; traffic does not say who, so scoring ignores it) |
 *
 * Column names are matched ignoring case and surrounding spaces, other columns are ignored, and the
 * labels come out sorted by time. A bad file is refused naming the file and the line.
 */
import { ACTIVITIES, type Activity } from '../core/activities.js';
import { atPlace, BadInputError, readInputText } from '../core/bad-input-error.js';
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import type { TimedActivity } from '../evaluate/timeline-match.js';
import { csvRecords } from './csv-records.js';
import { parseEventTime, readEventsCsv, shownCell } from './events-csv.js';

export const LABELS_CSV_COLUMNS = ['time', 'activity'] as const;

/** A labelled home read from its two files. */
export interface LabelledHome {
  readonly eventsFile: string;
  readonly labelsFile: string;
  /** The uses, sorted by time; a `cause` column the events CSV may have is dropped (it is not evidence). */
  readonly events: readonly DeviceUse<AttackKind>[];
  /** The true activities, sorted by time; `activity` indexes ACTIVITIES. */
  readonly labels: readonly TimedActivity[];
}

function labelsError(file: string, line: number, problem: string): BadInputError {
  return new BadInputError(atPlace({ file, line }, problem), { file, line });
}

/** Parses a labels CSV's text; `file` names it in errors. */
export function parseLabelsCsv(text: string, file: string): TimedActivity[] {
  const records = csvRecords(text, file);
  if (records.length === 0) throw labelsError(file, 1, `empty file: expected a header with the columns ${LABELS_CSV_COLUMNS.join(', ')}`);
  const header = records[0];
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const column = (name: string, required: boolean): number => {
    const first = names.indexOf(name);
    if (first >= 0 && names.indexOf(name, first + 1) >= 0) throw labelsError(file, header.line, `the header names the column "${name}" twice`);
    if (first < 0 && required) {
      throw labelsError(file, header.line, `no "${name}" column: the header has ${header.cells.map(shownCell).join(', ')}; it needs ${LABELS_CSV_COLUMNS.join(', ')}`);
    }
    return first;
  };
  const timeAt = column('time', true);
  const activityAt = column('activity', true);
  const residentAt = column('resident', false);
  const labels: TimedActivity[] = [];
  for (const { line, cells } of records.slice(1)) {
    if (cells.length !== header.cells.length) throw labelsError(file, line, `${cells.length} cells, but the header has ${header.cells.length}`);
    const time = parseEventTime(cells[timeAt]);
    if (!time.ok) throw labelsError(file, line, time.problem);
    const activity = ACTIVITIES.indexOf(cells[activityAt].trim() as Activity);
    if (activity < 0) throw labelsError(file, line, `activity ${shownCell(cells[activityAt])} is none of ${ACTIVITIES.join(', ')}`);
    const resident = residentAt >= 0 && cells[residentAt] !== '' ? cells[residentAt] : undefined;
    labels.push(resident === undefined ? { timeUs: time.timeUs, activity } : { timeUs: time.timeUs, activity, resident });
  }
  // Stable: labels at one instant keep their file order.
  return labels.sort((a, b) => a.timeUs - b.timeUs);
}

/** Reads a labelled home: `eventsFile` (events CSV) and `labelsFile` (labels CSV). */
export function readLabelledHome(eventsFile: string, labelsFile: string): LabelledHome {
  const csv = readEventsCsv(eventsFile);
  const labels = parseLabelsCsv(readInputText(labelsFile), labelsFile);
  if (labels.length === 0) throw labelsError(labelsFile, 2, 'no activity is labelled, so there is nothing to score against');
  const events = csv.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
  return { eventsFile, labelsFile, events, labels };
}
