/**
 * The day of a home of R residents decoded as a hidden Markov model over the household's COUNT state:
 * how many residents are at home (h) and how many of those are asleep (s), 0 ≤ s ≤ h ≤ R (21 states
 * for R = 5), one state per time bin (structured-day.ts's bins, 5 min). Each change of the count is
 * one resident's activity: s + 1 going to bed, s − 1 waking, h − 1 leaving, h + 1 coming back; k
 * residents may make the same move in one bin (a couple leaving together).
 *
 * Moves: each resident makes theirs at a rate per local hour learned from simulated labelled lives
 * (resident-rates.ts; the bundled model's from its random homes), one rate when another resident is
 * already where the move goes (a second waking once someone is up) and one when not: a state's
 * transition probability in a bin is the product over its residents (asleep: wake or not; awake at
 * home: go to bed, leave or neither; out: come back or not). A leave or a return scores the entrances
 * (an entrance use within a bin of it against the entrance's background), read as the home's chain
 * reads them (entrances.ts: by kind, and by role, roles.ts: a camera or unknown device that behaves as
 * the way in and out), with two differences: the leaves and returns that empty or fill the home and
 * those that leave someone in are scored apart (`entranceByMove`, `doorScores`), and a device is read
 * as an entrance by its role only beside a lock or door, not by the edges of the home's quiet spells
 * (`entrancesByEdges`): those edges are where the whole home goes quiet, the chain's leaves, while
 * most of the count's leaves and returns leave someone in, and such a device (a hub relaying the
 * home's motion sensors with its front door's contact) fires as much at those as anywhere.
 *
 * Measured on the random homes of seeds 300 to 315 with 2 to 5 residents (300, 301, 302, 304, 305,
 * 310, 311, 312, 313, 314) with sensor-rich and family (bench/eval-residents.ts, 14 days, seed 7,
 * mean timeline macro-F1 at 30 min; random:201 to 206 kept out of every choice): entrances by kind
 * only, pooled (as before) 0.467; by kind and role, 0.516 (random:305, lock and camera, 0.346 →
 * 0.560; family 0.333 → 0.486; random:311, whose hub carries the front door's sensor and is read as
 * an entrance by the edges of its quiet spells, 0.670 → 0.611); scored apart by move as well, 0.540
 * (random:314, five residents and a lock used by the last out and first back only: 0.274 → 0.393;
 * random:302, the same: 0.427 → 0.486; but couple-shifts, whose lock is used at 96% of its leaves
 * and returns since the couple's shifts leave the home empty at most of them, 0.673 → 0.632: a leave
 * without the lock costs less, and 6 more are decoded); on 16 more (seeds 316 to 344 with 2 to 5
 * residents) 0.470 → 0.480. Without the entrances read by the edges (as shipped): 0.545 (random:311
 * back to 0.670, the others unchanged), on the 16 more 0.482 (random:319 0.701 → 0.726, random:341
 * 0.715 → 0.729: with 311 the three homes of several residents among the 26 whose only entrances by
 * role are read by the edges; the homes of one resident with such entrances, 303, 307, 309 and 315,
 * read as one: 0.620 → 0.622).
 *
 * Tried and left out, from 0.540 (with the entrances by the edges): the entrance scores × 1.5, × 2
 * (0.530, 0.518); a leave's and a return's move cost × 0.5 (0.528); the entrances' background from
 * the bins where the home sleeps or is empty (0.538) or where someone is up (0.537); the pooled entrances' rate at the
 * moves that empty or fill the home learned as the others' rather than `entranceAtTransition`
 * (0.544, all of it random:314's; the homes of one resident with a lock alone, 308, 331 and 339
 * read as one: 0.416 → 0.407); the uses around a move learned apart for the two sorts of leave and
 * return too (0.535; 0.487 on the 16 more); the first out the first back (0.528); the outing line
 * applied to decoded absences at × 0.8 and × 1.25 (0.536, 0.535); 5 rounds (0.535); `movePenalty`
 * 0.35 (0.530); and each resident out told apart as on a short outing (half the leaves, back at
 * a rate of 1 / 52 min, the out-short law's median) or out for long (the learned rate of coming
 * back), a state per split of the residents out: 0.518 (a third of the leaves: 0.520; the path
 * chosen over the split states' own posteriors rather than their count's, 0.502), probably because
 * the learned rates of coming back mix the short outings in, so one out for long comes back too soon
 * (rates of coming back from long absences alone would need the model trained again). Trained so
 * (resident-rates.ts from the labelled lives: per hour of the leave the share of short outings, 0.54
 * over the day, 0.01-0.02 from 06:00 to 08:00, 0.80-0.84 from 16:00 to 22:00; per hour the rate of
 * coming back from leave_home's absences alone, 0.004-0.036 from 09:00 to 13:00 where the pooled
 * rate is 0.12-0.14), the short ones back at 1 / 52 min, a state per number of residents out on a
 * short outing, on the decoder as it is now: bench/resident-classes.ts 0.587 → 0.590 (a
 * leave_temporarily that leaves someone in found 72 → 75 of 283; with the share from `fromAwake`,
 * 0.19, and the pooled rate of coming back, 0.583; the short ones back at 1 / 35 min or 1 / 70 min,
 * 0.574, 0.586; the share × 0.6, × 1.5, 0.580, 0.584; the long rates × 0.5, 0.580; `movePenalty`
 * 0.35, 0.580 as without the split); on the 109 homes of 2 to 5 residents among 1000-1149, 0.501 →
 * 0.501 (found 475 → 491 of 2634); bench/resident-f1.ts as their true number and as estimated,
 * 1000-1149 0.529 → 0.529 and 0.449 → 0.448, 3000-3099 0.523 → 0.523 and 0.455 → 0.456. The prior
 * is not what misses them: of those 2634, 1410 have no move of anyone decoded within 30 min (1448
 * with the split), 228 a leave_home (213), 493 another move (456), 503 a leave_temporarily (517);
 * the uses do not show one resident of several out for an hour.
 *
 * Emissions: per device and bin, the number of distinct minutes it fired in (binomial over the bin's
 * minutes), at a rate per count state learned on the home itself by hard EM (as structured-day.ts
 * learns its per-device rates): the first labelling is the home's own chain (structured-day.ts with
 * one resident: its asleep bins all R asleep, its awake bins all R awake, its absences nobody home),
 * then decode and re-estimate. Each state's rate is pulled toward a fit over all of them of rate = b
 * + u_awake × awake + u_home × home per minute (the simulator draws people's noise per resident
 * awake or at home: home/noise.ts), so a count never decoded yet still has a rate to be decoded by,
 * and, held close to it (`shrinkBins` 1000: 83 h of the state's own bins weigh as much as the fit),
 * one resident of several going out or to bed is a step of one resident's rate wherever the path
 * has put the counts so far. With a state's own rate free (20 bins, before), EM fitted each count's
 * rate to the bins it had been given and kept them there. Measured with the residents' decoding
 * (below; timeline macro-F1 at 30 min, as the true number), `shrinkBins` 20, 60, 120, 300, 1000
 * (shipped), 3000, the fit alone (10^6): on the 109 random homes of 2 to 5 residents among seeds
 * 1000-1149, 0.476, 0.480, 0.486, 0.494, 0.500, 0.501, 0.498; on the 11 tuning homes of seeds
 * 300-315 and sensor-rich 0.548, 0.554, 0.568, 0.569, 0.586, 0.579, 0.572 (at 1000 by the state
 * posterior's decoding: 0.500 and 0.576). A leave that leaves someone in, found 0.397 → 0.498 of
 * 2359; leave_home F1 0.464 → 0.506, return_home 0.498 → 0.534, wake_up 0.601 → 0.619, go_to_bed
 * 0.521 → 0.533, leave_temporarily 0.327 → 0.326. The emission log-likelihood is tempered (×
 * `emissionWeight`): uses come in bursts, and read as independent minutes they overstate the evidence.
 *
 * The decoded path is exact (Viterbi). Residents are told apart only to keep each one's sequence
 * possible: the one who wakes is the first asleep, the one who goes to bed or leaves the first
 * awake, the one who comes back the last to have left (the last out, the first back). The outing
 * line (2 h) is read on each resident's absence so decoded: shorter is leave_temporarily (its return
 * is no activity, as the labelled homes have it), from it on leave_home and return_home. The line is
 * applied to the decoded absences, not held in the state: a count state does not know how long each
 * resident out has been out (a counter per resident out would make the states grow with the line's
 * bins to the power of R).
 *
 * Decoding by expected accuracy, not by Viterbi. Where the uses say little, the Viterbi path of a
 * chain whose moves are each unlikely in any one bin keeps residents where they are (a second
 * resident who never wakes costs less than one who wakes when the uses do not show it), and reads a
 * home of two as fewer transitions than it has: the path of most expected correct bins (the sum of
 * each bin's state posterior, `movePenalty` per move) places them where the posterior puts them.
 * Each round of EM decodes the same way, and the uses around a move (its bin and those either side)
 * are its evidence (`moveEvidence`: a device firing where the home's decoded wakings, goings to bed,
 * leaves or returns are, a kettle at waking, a hall light at a return, against its share of all bins).
 *
 * The path as shipped scores each bin's state not by its posterior but by the residents it puts in
 * their place (`decode: 'residents'`, residentGains: the expected number asleep, awake at home and
 * out that the state gets right, whose best per bin is each count's posterior median). Where a
 * household goes to bed or wakes one by one at times the uses do not pin down, the posterior of
 * every in-between count is spread over the evening and never the highest of any bin, and the path
 * of most expected correct bins sent the residents together (a couple to bed in one bin); by the
 * residents in their place each goes where the posterior's count passes the next resident.
 *
 * Where the decoder loses (bench/resident-classes.ts on the 109 random homes of 2 to 5 residents
 * among seeds 1000-1149, 14 days, seed 7, read as their true number, before this decoding): per
 * activity recall / precision, wake_up 0.589 / 0.601, go_to_bed 0.489 / 0.508, leave_home 0.414 /
 * 0.517, return_home 0.438 / 0.552, leave_temporarily 0.235 / 0.497; found, by sort: the home's
 * first waking 0.661, a waking that joins someone up 0.531, the home's last to bed 0.457, an earlier
 * one 0.534, a leave that empties the home 0.476, one that leaves someone in 0.397 (a short one:
 * 0.177), a return to an empty home 0.553, one that joins someone 0.388. The decoded moves lie
 * around the true ones without a lean (on the 11 tuning homes below, decoded − true within 3 h:
 * median −1 to +6 min per activity, quartiles between −18 and +22 min), so the losses are moves
 * missed or placed an hour or more off, not late or early ones; on those homes an entrance use lies
 * within 10 min of 20-25% of the missed leaves and returns (31-48% of the found), 6 of the 11 have no
 * entrance read at all, and one resident of several going out shows only as a fall in a rate shared
 * with the others.
 *
 * Measured with `shrinkBins` 20 (as then), `decode` 'expected' → 'residents' (timeline macro-F1 at
 * 30 min, read as the true number):
 * the 109 homes 0.466 → 0.476 (R = 2: 0.483 → 0.495, 3: 0.444 → 0.454, 4: 0.438 → 0.447, 5: 0.460
 * → 0.463; F1 per activity: wake_up 0.595 → 0.601, go_to_bed 0.498 → 0.521, leave_home 0.460 →
 * 0.464, return_home 0.488 → 0.498, leave_temporarily 0.319 → 0.327); the random homes of seeds 300
 * to 315 with 2 to 5 residents and sensor-rich (11 homes) 0.543 → 0.548 (sensor-rich 0.515 → 0.460:
 * 5 leaves, 3 more decoded, none found). Tried on the 109: the residents in their place only for the
 * last decoding, EM's rounds by the state posterior, 0.469; `movePenalty` 0.35, 0.7: 0.475, 0.474; a
 * leave's and a return's penalty × 0.6, × 1.5: 0.476, 0.473; 5 rounds 0.473; `moveEvidence` 0.5
 * 0.472; half the state posterior and half the residents' gain 0.472 (0.550 on the 11). Also tried
 * and left out, on the 11: a leave_temporarily at each entrance use in a decoded waking spell with
 * no decoded leave or return within 30 min (0.543 → 0.536: 55 of 258 right). Never fitted on, read
 * as their true number: random homes 3000-3099 (bench/resident-f1.ts) 0.506 → 0.510 (R = 2 0.436 →
 * 0.439, 3 0.399 → 0.408, 4 0.493 → 0.499, 5 0.470 → 0.490), as estimated 0.445 → 0.446; the
 * built-in homes (`npm run eval:homes -- --residents true`) family 0.518 → 0.477 (leave_temporarily
 * 4 → 1 of 13 found), couple-shifts 0.632 → 0.635, random:201 to 206 0.555 → 0.550, 0.367 → 0.381,
 * 0.432 → 0.468, 0.353 → 0.353, 0.567 → 0.567, 0.546 → 0.531. With `shrinkBins` 1000 as well (as
 * shipped), from the state posterior's decoding at 20: random homes 3000-3099 as their true number
 * 0.506 → 0.521 (R = 2 0.436 → 0.449, 3 0.399 → 0.428, 4 0.493 → 0.529, 5 0.470 → 0.499), as
 * estimated 0.445 → 0.454; as their true number family 0.518 → 0.508, couple-shifts 0.632 → 0.742,
 * random:201 to 206 0.555 → 0.593, 0.367 → 0.330, 0.432 → 0.536, 0.353 → 0.392, 0.567 → 0.631,
 * 0.546 → 0.526, sensor-rich 0.515 → 0.506 (mean of the nine 0.498 → 0.529); as estimated
 * random:201 0.593, 202 0.330, 203 0.264 → 0.302, 205 0.501 → 0.599, 206 0.526, sensor-rich 0.506;
 * the homes read as one (family, couple-shifts, random:204, paper, night-shift, real B and C)
 * unchanged.
 *
 * Measured on 12 simulated homes of 2 to 4 residents (bench/eval-residents.ts: 14 days, seed 7,
 * their LAN capture's uses as `attack` finds them: sensor-rich, random:201, random:202, family and
 * the random homes of seeds 1001, 1002, 1005 to 1010; random:203 to 206 were kept out of every
 * choice), timeline macro-F1 at 30 min, mean. On the first seven, before the uses around a move:
 * Viterbi 0.257, expected accuracy 0.331 (emissions × 0.5, 2 bins a move), 0.364 with the emissions
 * whole, 0.375 at 0.5 bins a move (`shrinkBins` 5: 0.372), 0.393 with EM decoding by expected
 * accuracy too; the uses around a move weighed 0.5 and 1: 0.424, 0.420. On all twelve, from the
 * defaults (0.457): `moveEvidence` 0.3, 0.75: 0.449, 0.450; `movePenalty` 0.2, 1: 0.451, 0.453;
 * `emissionWeight` 0.75: 0.435; rounds 1, 5: 0.442, 0.448; `shrinkBins` 60: 0.459; the move's
 * window its bin and the next, up to 2 after, 1 before and 3 after, 2 either side: 0.445, 0.450,
 * 0.457, 0.460 (more-residents.ts on the twelve: 0.320). All of these with one rate per move and
 * hour; with a rate apart for a move that joins another resident's: 0.465, and then `moveEvidence`
 * 0.3, 0.5, 0.75 (as shipped), 1: 0.453, 0.465, 0.472, 0.462; `movePenalty` 0.2, 1 (at 0.5
 * `moveEvidence`): 0.459, 0.455; Viterbi 0.386; the first out the first back (FIFO) rather than the
 * last out (LIFO, as shipped): 0.461; each device read by whether it fired in a bin rather than in
 * how many of its minutes: 0.408. Tried and left out: the home's own hours re-estimated each round
 * (with 5, 20, 80 resident-hours of the learned rates: 0.426, 0.442, 0.454); each device's rate
 * scaled per local hour by how much more it fires then than its state rates say (5, 30, 100, 400
 * expected minutes of pseudo-count: 0.429, 0.447, 0.448, 0.454); the first labelling from
 * more-residents.ts's day rather than the home's chain (1, 3, 5 rounds: 0.395, 0.416, 0.426); the
 * learned rates of leaving and coming back × 0.5, 2, 4 (0.430, 0.446, 0.438) or of waking and going
 * to bed × 2 (0.452); and the count held to the home's chain where that says the home sleeps, is up
 * or is out (0.413 at 1 nat a bin, 0.411 at 30: on these homes the count's own home-level day is
 * the better). Read as one resident, the count decoder scores the real development homes, B and C,
 * 0.628 and 0.671 against the chain's 0.840 and 0.871 (the chain's durations: the shortest night,
 * the outing line as a state), so a home of one is read by the chain (structured-preset.ts); real B
 * and C read as two: 0.543 and 0.508 (more-residents.ts: 0.577 and 0.582). How many residents is
 * estimated by resident-estimate.ts (`peephole attack --residents auto`, the default), which reads B
 * and C as one; this decoder's own likelihood per R (`countFit`) was tried for it and left out: it
 * gains 53 and 67 nats a day on B and C from one resident to two (resident-estimate.ts).
 *
 * Its cost: 28 days of 152,140 uses (random:1009's 14 days twice over, a day block of
 * attack/use-stream.ts) decode in 0.29-0.48 s of CPU read as 2 residents and 0.69-0.71 s as 5,
 * the home's chain among it (0.17-0.34 s alone).
 */
import type { Activity } from '../core/activities.js';
import { firstUseAt, type DeviceUse } from '../core/device-use.js';
import { backgroundRate, binMask, entranceFiring, entranceScore, firedNear, isEntrance, ownEntranceRate, roleEntrances, type EntranceFiring } from './entrances.js';
import type { ResidentRates } from './resident-rates.js';
import { ASLEEP, AWAKE, HOME_CHAIN, localHourOf, OUT_LONG, OUT_SHORT, structuredDay, type StructureParams, type StructuredActivity, type StructuredDay } from './structured-day.js';

const MINUTE_US = 60e6;
const HOUR_US = 60 * MINUTE_US;
const NEG = -Infinity;

export interface CountOptions {
  /** Rounds of decode-and-re-estimate after the first labelling. */
  readonly rounds: number;
  /** The emission log-likelihood is multiplied by this (0..1]. */
  readonly emissionWeight: number;
  /** Pseudo-bins a state's own rate is pulled toward the fit over all states by. */
  readonly shrinkBins: number;
  /** How many bins either side of a move its confidence sums the posterior over. */
  readonly confidenceBins: number;
  /**
   * 'viterbi': the likeliest path; 'expected': the path of most expected correct bins (each bin's
   * state posterior); 'residents': the path of most expected residents in their place (each bin's
   * expected number of residents asleep, awake at home and out that the state gets right).
   */
  readonly decode: 'viterbi' | 'expected' | 'residents';
  /** The weight of the uses around a move (moveEvidence), 0 for none. */
  readonly moveEvidence: number;
  /** For the expected decoding: bins of posterior a move must gain. */
  readonly movePenalty: number;
  /** Each device read by whether it fired in a bin, not in how many of its minutes (false by default). */
  readonly perBin?: boolean;
  /**
   * The entrances scored apart at the leaves and returns that empty or fill the home and at those
   * that leave someone in (one of several residents going or coming), each at its rate beside the
   * labelling's moves of that sort; false: every leave and return scored alike (as the home's chain
   * scores its own).
   */
  readonly entranceByMove: boolean;
  /**
   * Entrances by behaviour read by the edges of the home's quiet spells too (roles.ts: in a home
   * without a lock or door), as the home's chain reads them; false: only those read beside a lock or door.
   */
  readonly entrancesByEdges: boolean;
}

export const DEFAULT_COUNT: CountOptions = {
  rounds: 3,
  emissionWeight: 1,
  shrinkBins: 1000,
  confidenceBins: 3,
  decode: 'residents',
  moveEvidence: 0.75,
  movePenalty: 0.5,
  entranceByMove: true,
  entrancesByEdges: false,
};

/** A count state: residents at home, of whom asleep. */
interface CountState {
  readonly home: number;
  readonly asleep: number;
}

type MoveKind = 'wake' | 'bed' | 'leave' | 'return';

/** A transition between count states: k residents make one move. */
interface CountMove {
  readonly from: number;
  readonly to: number;
  readonly move: MoveKind | null;
  readonly k: number;
}

export function countStates(residents: number): CountState[] {
  const out: CountState[] = [];
  for (let h = 0; h <= residents; h++) for (let s = 0; s <= h; s++) out.push({ home: h, asleep: s });
  return out;
}

function countMoves(states: readonly CountState[], residents: number): CountMove[] {
  const index = (h: number, s: number): number => states.findIndex((x) => x.home === h && x.asleep === s);
  const out: CountMove[] = [];
  states.forEach((st, i) => {
    const awake = st.home - st.asleep;
    const away = residents - st.home;
    out.push({ from: i, to: i, move: null, k: 0 });
    for (let k = 1; k <= st.asleep; k++) out.push({ from: i, to: index(st.home, st.asleep - k), move: 'wake', k });
    for (let k = 1; k <= awake; k++) out.push({ from: i, to: index(st.home, st.asleep + k), move: 'bed', k });
    for (let k = 1; k <= awake; k++) out.push({ from: i, to: index(st.home - k, st.asleep), move: 'leave', k });
    for (let k = 1; k <= away; k++) out.push({ from: i, to: index(st.home + k, st.asleep), move: 'return', k });
  });
  return out;
}

function logChoose(n: number, k: number): number {
  let v = 0;
  for (let i = 0; i < k; i++) v += Math.log(n - i) - Math.log(i + 1);
  return v;
}

/**
 * Per local hour and move, the log-probability of each move (CountMove order) in one bin: each
 * resident's rate the `joining` one when another resident is already where the move goes (awake at
 * home for a waking or a return, asleep for a going to bed, out for a leave), else the lone one.
 */
function moveLogs(states: readonly CountState[], moves: readonly CountMove[], residents: number, rates: ResidentRates, binUs: number): Float64Array[] {
  const binHours = binUs / HOUR_US;
  return Array.from({ length: 24 }, (_, hour) =>
    Float64Array.from(moves, (mv) => {
      const st = states[mv.from];
      const s = st.asleep;
      const a = st.home - st.asleep;
      const o = residents - st.home;
      const p = (m: MoveKind, joining: boolean): number => Math.min(0.45, 1 - Math.exp(-(joining ? rates.joining : rates)[m][hour] * binHours));
      const pw = p('wake', a > 0);
      const pb = p('bed', s > 0);
      const pl = p('leave', o > 0);
      const pr = p('return', a > 0);
      const stayAwake = Math.log(1 - pb - pl);
      const k = mv.k;
      switch (mv.move) {
        case null:
          return s * Math.log(1 - pw) + a * stayAwake + o * Math.log(1 - pr);
        case 'wake':
          return logChoose(s, k) + k * Math.log(pw) + (s - k) * Math.log(1 - pw) + a * stayAwake + o * Math.log(1 - pr);
        case 'bed':
          return logChoose(a, k) + k * Math.log(pb) + (a - k) * stayAwake + s * Math.log(1 - pw) + o * Math.log(1 - pr);
        case 'leave':
          return logChoose(a, k) + k * Math.log(pl) + (a - k) * stayAwake + s * Math.log(1 - pw) + o * Math.log(1 - pr);
        case 'return':
          return logChoose(o, k) + k * Math.log(pr) + (o - k) * Math.log(1 - pr) + s * Math.log(1 - pw) + a * stayAwake;
        default: {
          const never: never = mv.move;
          return never;
        }
      }
    }),
  );
}

interface CountBins extends EntranceFiring {
  readonly startUs: number;
  readonly bins: number;
  readonly devices: number;
  /** Per bin, [device, minutes it fired in] pairs, flat. */
  readonly fired: number[][];
  readonly minutesPerBin: number;
}

function binMinutes(events: readonly DeviceUse[], binUs: number, perBin: boolean, byEdges: boolean): CountBins {
  const startUs = Math.floor(events[0].timeUs / binUs) * binUs;
  const bins = Math.floor((events[events.length - 1].timeUs - startUs) / binUs) + 1;
  const minutesPerBin = perBin ? 1 : Math.max(1, Math.round(binUs / MINUTE_US));
  const index = new Map<string, number>();
  const seen = new Set<number>();
  const counts: Map<number, number>[] = Array.from({ length: bins }, () => new Map());
  for (const e of events) {
    let d = index.get(e.device);
    if (d === undefined) index.set(e.device, (d = index.size));
    const minute = Math.floor((e.timeUs - startUs) / MINUTE_US);
    const key = minute * 65536 + d;
    const b = Math.floor((e.timeUs - startUs) / binUs);
    if (seen.has(key)) continue;
    seen.add(key);
    counts[b].set(d, Math.min(minutesPerBin, (counts[b].get(d) ?? 0) + 1));
  }
  const fired = counts.map((m) => [...m].flat());
  return { startUs, bins, devices: index.size, fired, minutesPerBin, ...entranceFiring(events, startUs, binUs, bins, roleEntrances(events, byEdges)) };
}

/**
 * Per state and device, log p and log(1 − p) of firing in a minute, from the bins' current states:
 * each state's own count pulled toward a fit over all states of −log(1 − p) = b + u_a·awake + u_h·home.
 */
function deviceRates(b: CountBins, states: readonly CountState[], labels: Int32Array, o: CountOptions): { on: Float64Array[]; off: Float64Array[] } {
  const S = states.length;
  const n = b.devices;
  const M = b.minutesPerBin;
  const binsIn = new Float64Array(S);
  const minutes = Array.from({ length: S }, () => new Float64Array(n));
  for (let t = 0; t < b.bins; t++) {
    const c = labels[t];
    binsIn[c]++;
    const f = b.fired[t];
    for (let j = 0; j < f.length; j += 2) minutes[c][f[j]] += f[j + 1];
  }
  const on: Float64Array[] = Array.from({ length: S }, () => new Float64Array(n));
  const off: Float64Array[] = Array.from({ length: S }, () => new Float64Array(n));
  for (let d = 0; d < n; d++) {
    // Weighted least squares of y = −log(1 − p̂) on [1, awake, home] over the states seen, coefficients kept ≥ 0.
    const rows: { x: number[]; y: number; w: number }[] = [];
    for (let c = 0; c < S; c++) {
      if (binsIn[c] === 0) continue;
      const p = (minutes[c][d] + 0.5) / (binsIn[c] * M + 1);
      rows.push({ x: [1, states[c].home - states[c].asleep, states[c].home], y: -Math.log(1 - p), w: binsIn[c] });
    }
    const beta = nonNegativeLeastSquares(rows);
    for (let c = 0; c < S; c++) {
      const x = [1, states[c].home - states[c].asleep, states[c].home];
      const lambda = Math.max(1e-6, beta[0] * x[0] + beta[1] * x[1] + beta[2] * x[2]);
      const prior = 1 - Math.exp(-lambda);
      const w = o.shrinkBins * M;
      let p = (minutes[c][d] + prior * w) / (binsIn[c] * M + w);
      p = Math.min(Math.max(p, 1e-5), 1 - 1e-5);
      on[c][d] = Math.log(p);
      off[c][d] = Math.log(1 - p);
    }
  }
  return { on, off };
}

/** Least squares of 3 coefficients, each ≥ 0 (by dropping the most negative and solving again). */
function nonNegativeLeastSquares(rows: readonly { x: number[]; y: number; w: number }[]): number[] {
  let active = [0, 1, 2];
  for (;;) {
    const k = active.length;
    const A = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const v = new Array<number>(k).fill(0);
    for (const r of rows) {
      for (let i = 0; i < k; i++) {
        v[i] += r.w * r.x[active[i]] * r.y;
        for (let j = 0; j < k; j++) A[i][j] += r.w * r.x[active[i]] * r.x[active[j]];
      }
    }
    for (let i = 0; i < k; i++) A[i][i] += 1e-9;
    const sol = solve(A, v);
    const out = [0, 0, 0];
    let worst = -1;
    for (let i = 0; i < k; i++) {
      if (!Number.isFinite(sol[i])) continue;
      out[active[i]] = sol[i];
      if (sol[i] < 0 && (worst < 0 || sol[i] < sol[worst])) worst = i;
    }
    if (worst < 0 || k === 1) return out.map((x) => Math.max(0, Number.isFinite(x) ? x : 0));
    active = active.filter((_, i) => i !== worst);
  }
}

/** Gaussian elimination with partial pivoting; a singular direction gives NaN. */
function solve(A: number[][], v: number[]): number[] {
  const k = v.length;
  const m = A.map((row, i) => [...row, v[i]]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) return new Array<number>(k).fill(NaN);
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= k; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[k] / row[i]);
}

/** E[t * S + c]: the tempered emission log-likelihood of bin t in state c. */
function emissions(b: CountBins, rates: { on: Float64Array[]; off: Float64Array[] }, S: number, weight: number): Float64Array {
  const E = new Float64Array(b.bins * S);
  const M = b.minutesPerBin;
  for (let c = 0; c < S; c++) {
    let silent = 0;
    for (let d = 0; d < b.devices; d++) silent += M * rates.off[c][d];
    for (let t = 0; t < b.bins; t++) {
      let e = silent;
      const f = b.fired[t];
      for (let j = 0; j < f.length; j += 2) e += f[j + 1] * (rates.on[c][f[j]] - rates.off[c][f[j]]);
      E[t * S + c] = weight * e;
    }
  }
  return E;
}

/**
 * Per bin, the entrances' score of a leave or a return there: `whole` for one that empties or fills
 * the home, `partial` for one that leaves someone in. The pooled entrances (entrances.ts) at the
 * chain's fixed rate (`entranceAtTransition`) against how often one fires beside a bin whose count
 * does not change in or out; each entrance scored by its own rates at its rate beside the labelling's
 * leaves and returns. With `byMove`, a leave or return that leaves someone in is scored apart, the
 * pooled entrances too, each at its rate beside the labelling's moves of that sort: the simulator's
 * lock is used by the last one out and the first one back only (on the random homes 300, 302, 304,
 * 305 and 314 it fires within a bin of 1-40% of all their residents' leaves and returns, of 1.0-1.9%
 * of the other bins), a door or a camera at every move (the cameras there: 80-93%, 5-15%); a leave
 * without the lock cost 4.6 nats at `entranceAtTransition` 0.99. Without `byMove`, `partial` is `whole`.
 */
function doorScores(b: CountBins, states: readonly CountState[], labels: Int32Array, p: StructureParams, byMove: boolean): { whole: Float64Array; partial: Float64Array } {
  const T = b.bins;
  const home = Int32Array.from(labels, (c) => states[c].home);
  const whole = new Float64Array(T);
  const partial = new Float64Array(T);
  const add = (fired: Uint8Array, atWhole: { near: number; notNear: number }, atPartial: { near: number; notNear: number }): void => {
    for (let t = 0; t < T; t++) {
      const near = firedNear(fired, t);
      whole[t] += near ? atWhole.near : atWhole.notNear;
      partial[t] += near ? atPartial.near : atPartial.notNear;
    }
  };
  if (!b.hasEntrance && b.ownFired.length === 0) return { whole, partial };
  // The background: bins at home whose count is the same 2 bins either side.
  const quiet = binMask(T, (t) => t >= 2 && t + 2 < T && home[t] > 0 && home[t - 2] === home[t] && home[t + 2] === home[t]);
  const moved = (t: number): boolean => t > 0 && home[t - 1] !== home[t];
  // The labelling's leaves and returns: all of them, those that empty or fill the home, those that leave someone in.
  const moves = binMask(T, moved);
  const wholeMoves = binMask(T, (t) => moved(t) && (home[t - 1] === 0 || home[t] === 0));
  const partialMoves = binMask(T, (t) => moved(t) && home[t - 1] > 0 && home[t] > 0);
  if (b.hasEntrance) {
    const fixed = entranceScore(p.entranceAtTransition, backgroundRate(b.entrance, quiet));
    add(b.entrance, fixed, byMove ? ownEntranceRate(b.entrance, partialMoves, quiet) : fixed);
  }
  for (const fired of b.ownFired) {
    if (byMove) add(fired, ownEntranceRate(fired, wholeMoves, quiet), ownEntranceRate(fired, partialMoves, quiet));
    else {
      const rate = ownEntranceRate(fired, moves, quiet);
      add(fired, rate, rate);
    }
  }
  return { whole, partial };
}

interface Model {
  readonly S: number;
  readonly T: number;
  readonly E: Float64Array;
  readonly moves: readonly CountMove[];
  /** Per move, its kind's index (KIND_INDEX), −1 for staying. */
  readonly kinds: Int8Array;
  /** Per bin, the log-probability of each move (hour prior and entrance). */
  readonly logMove: (t: number) => Float64Array;
}

/**
 * Per bin, the devices that fired in it or the bins either side: the uses a move makes (a resident
 * getting up, coming in) fall there whichever bin the move is decoded at.
 */
function windows(b: CountBins): number[][] {
  const devicesIn = (t: number): number[] => {
    const f = b.fired[t];
    const out: number[] = [];
    for (let j = 0; j < f.length; j += 2) out.push(f[j]);
    return out;
  };
  return Array.from({ length: b.bins }, (_, t) => [...new Set([...(t > 0 ? devicesIn(t - 1) : []), ...devicesIn(t), ...(t + 1 < b.bins ? devicesIn(t + 1) : [])])]);
}

/**
 * ev[t * 4 + kind]: the log-likelihood ratio of the devices fired around bin t (its window) given a
 * move of that kind there against any bin: each device's share of the decoded moves of the kind
 * whose window holds it (pulled toward its share of all windows by MOVE_PRIOR_MOVES moves), against
 * its share of all windows. The moves of the labelling are the evidence's training set, so a first
 * labelling with no move of a kind leaves its evidence at 0.
 */
function moveEvidence(b: CountBins, win: readonly number[][], states: readonly CountState[], labels: Int32Array, weight: number): Float64Array {
  const n = b.devices;
  const T = b.bins;
  const all = new Float64Array(n);
  for (const w of win) for (const d of w) all[d]++;
  const moves = new Float64Array(4);
  const withDevice = Array.from({ length: 4 }, () => new Float64Array(n));
  for (let t = 1; t < T; t++) {
    const a = states[labels[t - 1]];
    const c = states[labels[t]];
    if (a === c) continue;
    const kind = c.asleep < a.asleep ? 0 : c.asleep > a.asleep ? 1 : c.home < a.home ? 2 : 3;
    moves[kind]++;
    for (const d of win[t]) withDevice[kind][d]++;
  }
  const ev = new Float64Array(T * 4);
  for (let kind = 0; kind < 4; kind++) {
    const on = new Float64Array(n);
    let offSum = 0;
    for (let d = 0; d < n; d++) {
      const bg = Math.min(Math.max((all[d] + 0.5) / (T + 1), 1e-4), 1 - 1e-4);
      const q = Math.min(Math.max((withDevice[kind][d] + bg * MOVE_PRIOR_MOVES) / (moves[kind] + MOVE_PRIOR_MOVES), 1e-4), 1 - 1e-4);
      const off = Math.log(1 - q) - Math.log(1 - bg);
      on[d] = Math.log(q) - Math.log(bg) - off;
      offSum += off;
    }
    for (let t = 0; t < T; t++) {
      let v = offSum;
      for (const d of win[t]) v += on[d];
      ev[t * 4 + kind] = weight * v;
    }
  }
  return ev;
}

/** Moves a device's share of a kind's moves is pulled toward its share of all windows by. */
const MOVE_PRIOR_MOVES = 5;

function modelOf(
  b: CountBins,
  win: readonly number[][],
  states: readonly CountState[],
  moves: readonly CountMove[],
  hourLogs: readonly Float64Array[],
  labels: Int32Array,
  params: StructureParams,
  o: CountOptions,
  localHour: (t: number) => number,
): Model {
  const S = states.length;
  const E = emissions(b, deviceRates(b, states, labels, o), S, o.emissionWeight);
  const ev = o.moveEvidence > 0 ? moveEvidence(b, win, states, labels, o.moveEvidence) : new Float64Array(b.bins * 4);
  const door = doorScores(b, states, labels, params, o.entranceByMove);
  const kinds = Int8Array.from(moves, (mv) => (mv.move === null ? -1 : KIND_INDEX[mv.move]));
  // A leave to nobody home or a return from nobody home: the entrances' `whole` score, else `partial`.
  const whole = Uint8Array.from(moves, (mv) => (states[mv.to].home === 0 || states[mv.from].home === 0 ? 1 : 0));
  const scratch = new Float64Array(moves.length);
  // The scores of the moves at bin t: hour prior, the entrance, the uses around it (valid until the next call).
  const logMove = (t: number): Float64Array => {
    const base = hourLogs[localHour(t)];
    const atWhole = door.whole[t];
    const atPartial = door.partial[t];
    for (let j = 0; j < moves.length; j++) {
      const k = kinds[j];
      scratch[j] = k < 0 ? base[j] : base[j] + ev[t * 4 + k] + (k >= 2 ? (whole[j] === 1 ? atWhole : atPartial) : 0);
    }
    return scratch;
  };
  return { S, T: b.bins, E, moves, kinds, logMove };
}

function viterbi(m: Model): Int32Array {
  const { S, T, E } = m;
  const start = new Float64Array(S);
  for (let c = 0; c < S; c++) start[c] = E[c] - Math.log(S);
  return bestPath(S, T, m.moves, start, E, (t) => m.logMove(t));
}

/**
 * The path of states (one per bin) of the highest score: `start` the first bin's per state, `score`
 * each later bin's per state (T × S), `moveScores(t)` each move's score into bin t (by index in
 * `moves`). Viterbi's max-sum, shared by the likeliest path and the path of most expected correct bins.
 */
function bestPath(S: number, T: number, moves: Model['moves'], start: Float64Array, score: Float64Array, moveScores: (t: number) => ArrayLike<number>): Int32Array {
  let delta = start;
  const back = new Int32Array(T * S).fill(-1);
  for (let t = 1; t < T; t++) {
    const next = new Float64Array(S).fill(NEG);
    const logs = moveScores(t);
    for (let j = 0; j < moves.length; j++) {
      const mv = moves[j];
      const v = delta[mv.from] + logs[j];
      if (v > next[mv.to]) {
        next[mv.to] = v;
        back[t * S + mv.to] = mv.from;
      }
    }
    for (let c = 0; c < S; c++) next[c] += score[t * S + c];
    delta = next;
  }
  const path = new Int32Array(T);
  let best = 0;
  for (let c = 1; c < S; c++) if (delta[c] > delta[best]) best = c;
  path[T - 1] = best;
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t * S + path[t]];
  return path;
}

/**
 * By forward-backward: `post[t * 4 + kind]`, the posterior expected number of moves of that kind at
 * bin t, and `gamma[t * S + c]`, the posterior probability of state c at bin t.
 *
 * Run in probabilities scaled per bin (Rabiner's scaling) rather than in logs: each bin's emissions
 * and move scores are shifted by their largest before exp, the forward sums normalised to 1 and the
 * scales summed in logs, so nothing over- or underflows that matters beside the largest terms. In
 * logs every move cost a log-add (an exp and a log1p) in each of the three passes; here each move's
 * score is exponentiated once a bin. On 30 days of the family home's capture read as two residents
 * (8,618 bins, 22 moves), a cold `peephole attack` spent 125-210 ms a call in the log-space version
 * (4 calls); see bench/ingest.ts for the command's time against `devices`.
 */
function posteriors(m: Model): { post: Float64Array; gamma: Float64Array; logZ: number } {
  const { S, T, E, moves, kinds } = m;
  const J = moves.length;
  const from = Int32Array.from(moves, (mv) => mv.from);
  const to = Int32Array.from(moves, (mv) => mv.to);
  // Per bin: the moves' weights exp(score − the bin's largest) and the emissions' exp(E − the bin's largest).
  const w = new Float64Array(T * J);
  const e = new Float64Array(T * S);
  // Per bin, the log of the forward sum's scale (with the shifts taken out of w and e).
  const logScale = new Float64Array(T);
  const scale = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let maxE = NEG;
    for (let c = 0; c < S; c++) if (E[t * S + c] > maxE) maxE = E[t * S + c];
    for (let c = 0; c < S; c++) e[t * S + c] = Math.exp(E[t * S + c] - maxE);
    logScale[t] = maxE;
    if (t === 0) continue;
    const logs = m.logMove(t);
    let maxL = NEG;
    for (let j = 0; j < J; j++) if (logs[j] > maxL) maxL = logs[j];
    for (let j = 0; j < J; j++) w[t * J + j] = Math.exp(logs[j] - maxL);
    logScale[t] += maxL;
  }
  const alpha = new Float64Array(T * S);
  let sum = 0;
  for (let c = 0; c < S; c++) sum += alpha[c] = e[c] / S;
  for (let c = 0; c < S; c++) alpha[c] /= sum;
  scale[0] = sum;
  for (let t = 1; t < T; t++) {
    const at = t * S;
    const prev = at - S;
    for (let j = 0; j < J; j++) alpha[at + to[j]] += alpha[prev + from[j]] * w[t * J + j];
    sum = 0;
    for (let c = 0; c < S; c++) sum += alpha[at + c] *= e[at + c];
    for (let c = 0; c < S; c++) alpha[at + c] /= sum;
    scale[t] = sum;
  }
  let logZ = 0;
  for (let t = 0; t < T; t++) logZ += Math.log(scale[t]) + logScale[t];
  const beta = new Float64Array(T * S);
  for (let c = 0; c < S; c++) beta[(T - 1) * S + c] = 1;
  for (let t = T - 1; t > 0; t--) {
    const at = t * S;
    const prev = at - S;
    for (let j = 0; j < J; j++) beta[prev + from[j]] += w[t * J + j] * e[at + to[j]] * beta[at + to[j]];
    for (let c = 0; c < S; c++) beta[prev + c] /= scale[t];
  }
  const post = new Float64Array(T * 4);
  const gamma = new Float64Array(T * S);
  for (let i = 0; i < T * S; i++) gamma[i] = alpha[i] * beta[i];
  for (let t = 1; t < T; t++) {
    const at = t * S;
    const prev = at - S;
    for (let j = 0; j < J; j++) {
      if (kinds[j] < 0) continue;
      const p = (alpha[prev + from[j]] * w[t * J + j] * e[at + to[j]] * beta[at + to[j]]) / scale[t];
      post[t * 4 + kinds[j]] += p * moves[j].k;
    }
  }
  return { post, gamma, logZ };
}


/**
 * Per bin and state, the expected number of residents the state puts in their place, less R: −½ Σ
 * over asleep, awake at home and out of E|n − n_c| under the bin's posterior (each resident put in a
 * wrong place counts in two of the three). A bin's best state by it is each count's posterior median,
 * so a household whose residents go to bed one by one over an evening, each at a time the uses do
 * not pin down, passes through every count in between where the posterior puts each of them, where
 * the state posterior (`decode: 'expected'`) is never highest at any in-between count and jumps the
 * whole household at once. For one resident it is the state posterior less 1.
 */
export function residentGains(states: readonly CountState[], residents: number, gamma: Float64Array, T: number): Float64Array {
  const S = states.length;
  const gain = new Float64Array(T * S);
  const R = residents;
  const marg = [new Float64Array(R + 1), new Float64Array(R + 1), new Float64Array(R + 1)];
  const counts = states.map((st) => [st.asleep, st.home - st.asleep, R - st.home]);
  const loss = [new Float64Array(R + 1), new Float64Array(R + 1), new Float64Array(R + 1)];
  for (let t = 0; t < T; t++) {
    for (const m of marg) m.fill(0);
    for (let c = 0; c < S; c++) {
      const g = gamma[t * S + c];
      for (let d = 0; d < 3; d++) marg[d][counts[c][d]] += g;
    }
    for (let d = 0; d < 3; d++) {
      for (let x = 0; x <= R; x++) {
        let v = 0;
        for (let n = 0; n <= R; n++) v += marg[d][n] * Math.abs(n - x);
        loss[d][x] = v;
      }
    }
    for (let c = 0; c < S; c++) gain[t * S + c] = -0.5 * (loss[0][counts[c][0]] + loss[1][counts[c][1]] + loss[2][counts[c][2]]);
  }
  return gain;
}

/**
 * The allowed path of the highest sum over bins of `score[t * S + state]`, less `movePenalty` per
 * resident's move: with the state posteriors as the score, the path of most expected correct bins
 * (maximum expected accuracy decoding); with {@link residentGains}, of most expected residents in
 * their place. The Viterbi path of a Markov chain whose moves are each unlikely in any one bin stays
 * put where the uses say little (a resident who never wakes costs less than one who wakes at a time
 * the uses do not show); the posteriors sum over every time the move could have happened.
 */
function bestScoredPath(m: Model, score: Float64Array, movePenalty: number): Int32Array {
  const { S, T, moves } = m;
  const penalties = Float64Array.from(moves, (mv) => -movePenalty * mv.k);
  return bestPath(S, T, moves, score.slice(0, S), score, () => penalties);
}

const KIND_INDEX: Record<MoveKind, number> = { wake: 0, bed: 1, leave: 2, return: 3 };

/**
 * The day of `events` (time-sorted) in a home of `residents` residents, each activity naming its
 * resident (0 to residents − 1); `segments` are the home's states read off the counts (asleep when
 * everyone at home sleeps, awake when anyone at home is up, out when nobody is home).
 */
export function countDay(events: readonly DeviceUse[], params: StructureParams, residents: number, rates: ResidentRates, o: CountOptions = DEFAULT_COUNT, chain?: StructuredDay): StructuredDay {
  return countFit(events, params, residents, rates, o, chain).day;
}

/**
 * {@link countDay}'s day with the log-likelihood of the uses under the fitted model (its forward
 * pass: the emissions, the moves' priors and the uses around the moves, as decoded), which
 * resident-estimate.ts compares across numbers of residents. `chain`: the home's own chain
 * (structuredDay of one resident) where the caller has it already.
 */
export function countFit(events: readonly DeviceUse[], params: StructureParams, residents: number, rates: ResidentRates, o: CountOptions = DEFAULT_COUNT, chain?: StructuredDay): { day: StructuredDay; logLikelihood: number } {
  if (events.length === 0) return { day: { activities: [], segments: [] }, logLikelihood: 0 };
  if (residents < 1 || !Number.isInteger(residents)) throw new RangeError(`residents must be a whole number from 1, not ${residents}`);
  const b = binMinutes(events, params.binUs, o.perBin === true, o.entrancesByEdges);
  const localHour = localHourOf(b.startUs, params);
  const states = countStates(residents);
  const moves = countMoves(states, residents);
  const hourLogs = moveLogs(states, moves, residents, rates, params.binUs);
  const stateOf = (h: number, s: number): number => states.findIndex((x) => x.home === h && x.asleep === s);
  // The first labelling: the home's own chain, every resident with it.
  let labels: Int32Array = new Int32Array(b.bins).fill(stateOf(residents, 0));
  for (const seg of (chain ?? structuredDay(events, params, 1, HOME_CHAIN)).segments) {
    const c = seg.state === ASLEEP ? stateOf(residents, residents) : seg.state === AWAKE ? stateOf(residents, 0) : stateOf(0, 0);
    const from = Math.max(0, Math.round((seg.startUs - b.startUs) / params.binUs));
    const to = Math.min(b.bins, Math.round((seg.endUs - b.startUs) / params.binUs));
    labels.fill(c, from, to);
  }
  const win = windows(b);
  let model = modelOf(b, win, states, moves, hourLogs, labels, params, o, localHour);
  for (let round = 0; round < o.rounds; round++) {
    labels = decodePath(model, o.decode, o.movePenalty, states, residents, () => posteriors(model).gamma);
    model = modelOf(b, win, states, moves, hourLogs, labels, params, o, localHour);
  }
  const { post, gamma, logZ } = posteriors(model);
  const path = decodePath(model, o.decode, o.movePenalty, states, residents, () => gamma);
  return {
    day: { activities: activitiesOf(events, b, params, states, path, post, residents, o), segments: homeSegmentsOf(b, params, states, path) },
    logLikelihood: logZ,
  };
}

/** The decoded path by `o.decode`; `gamma` gives the state posteriors when the decoding needs them. */
function decodePath(m: Model, decode: CountOptions['decode'], movePenalty: number, states: readonly CountState[], residents: number, gamma: () => Float64Array): Int32Array {
  if (decode === 'viterbi') return viterbi(m);
  const g = gamma();
  return bestScoredPath(m, decode === 'expected' ? g : residentGains(states, residents, g, m.T), movePenalty);
}

/** The home's states along the path: asleep, awake, out-short or out-long (by the line). */
function homeSegmentsOf(b: CountBins, p: StructureParams, states: readonly CountState[], path: Int32Array): StructuredDay['segments'] {
  const out: { state: number; startUs: number; endUs: number }[] = [];
  const homeState = (c: number): number => (states[c].home === 0 ? OUT_LONG : states[c].home > states[c].asleep ? AWAKE : ASLEEP);
  let start = 0;
  for (let t = 1; t <= path.length; t++) {
    if (t < path.length && homeState(path[t]) === homeState(path[start])) continue;
    let state = homeState(path[start]);
    if (state === OUT_LONG && (t - start) * p.binUs < p.outingLineUs) state = OUT_SHORT;
    out.push({ state, startUs: b.startUs + start * p.binUs, endUs: b.startUs + t * p.binUs });
    start = t;
  }
  return out;
}

/** The activities of the count path: one per resident per change, residents kept apart so each one's sequence stays possible. */
function activitiesOf(
  events: readonly DeviceUse[],
  b: CountBins,
  p: StructureParams,
  states: readonly CountState[],
  path: Int32Array,
  post: Float64Array,
  residents: number,
  o: CountOptions,
): StructuredActivity[] {
  const binStart = (t: number): number => b.startUs + t * p.binUs;
  const endUs = binStart(b.bins);
  // An entrance use in the bins the move's entrance term reads (the bin before, the move's, the one after).
  const entranceNear = (us: number): number | null => {
    let best: number | null = null;
    for (let i = firstUseAt(events, us - p.binUs); i < events.length && events[i].timeUs < us + 2 * p.binUs; i++) {
      if (isEntrance(b, events[i].device, events[i].kind) && (best === null || Math.abs(events[i].timeUs - us) < Math.abs(best - us))) best = events[i].timeUs;
    }
    return best;
  };
  const firstUseIn = (from: number, to: number): number | null => {
    const i = firstUseAt(events, from);
    return i < events.length && events[i].timeUs < to ? events[i].timeUs : null;
  };
  const lastUseIn = (from: number, to: number): number | null => {
    const i = firstUseAt(events, to) - 1;
    return i >= 0 && events[i].timeUs >= from ? events[i].timeUs : null;
  };
  const confidence = (kind: MoveKind, t: number): number => {
    let sum = 0;
    for (let u = Math.max(1, t - o.confidenceBins); u <= Math.min(b.bins - 1, t + o.confidenceBins); u++) sum += post[u * 4 + KIND_INDEX[kind]];
    return Math.min(1, sum);
  };
  // Who is where: residents by id; the out ones with when they left (and the index of their leave in `out`).
  const first = states[path[0]];
  const asleep: number[] = [];
  const awake: number[] = [];
  const away: { who: number; leftUs: number; leave: number }[] = [];
  for (let r = 0; r < residents; r++) {
    if (r < first.asleep) asleep.push(r);
    else if (r < first.home) awake.push(r);
    else away.push({ who: r, leftUs: b.startUs, leave: -1 });
  }
  const out: (StructuredActivity & { resident: number })[] = [];
  // Placed on nearby uses, two moves of one resident a bin apart could swap: one never goes before the one before it.
  const lastUs = new Array<number>(residents).fill(-Infinity);
  const push = (timeUs: number, activity: Activity, confidence: number, resident: number): number => {
    lastUs[resident] = Math.max(lastUs[resident], timeUs);
    out.push({ timeUs: lastUs[resident], activity, confidence, resident });
    return out.length - 1;
  };
  for (let t = 1; t < path.length; t++) {
    const a = states[path[t - 1]];
    const c = states[path[t]];
    if (a === c) continue;
    const at = binStart(t);
    if (c.asleep < a.asleep) {
      const time = firstUseIn(at, at + 2 * p.binUs) ?? at;
      for (let k = 0; k < a.asleep - c.asleep; k++) {
        const who = asleep.shift()!;
        awake.push(who);
        push(time, 'wake_up', confidence('wake', t), who);
      }
    } else if (c.asleep > a.asleep) {
      const time = lastUseIn(at - 2 * p.binUs, at) ?? firstUseIn(at, at + p.binUs) ?? at;
      for (let k = 0; k < c.asleep - a.asleep; k++) {
        const who = awake.shift()!;
        asleep.push(who);
        push(time, 'go_to_bed', confidence('bed', t), who);
      }
    } else if (c.home < a.home) {
      const time = entranceNear(at) ?? lastUseIn(at - 2 * p.binUs, at) ?? at;
      for (let k = 0; k < a.home - c.home; k++) {
        const who = awake.shift()!;
        // Leave_home for now; made leave_temporarily when the resident is back before the line.
        const leave = push(time, 'leave_home', confidence('leave', t), who);
        away.push({ who, leftUs: out[leave].timeUs, leave });
      }
    } else if (c.home > a.home) {
      const time = entranceNear(at) ?? firstUseIn(at, at + 2 * p.binUs) ?? at;
      for (let k = 0; k < c.home - a.home; k++) {
        const back = away.pop()!;
        awake.push(back.who);
        if (time - back.leftUs >= p.outingLineUs) push(time, 'return_home', confidence('return', t), back.who);
        else if (back.leave >= 0) out[back.leave] = { ...out[back.leave], activity: 'leave_temporarily' };
      }
    }
  }
  // Still out at the end: short only if the record ends before the line.
  for (const a of away) if (a.leave >= 0 && endUs - a.leftUs < p.outingLineUs) out[a.leave] = { ...out[a.leave], activity: 'leave_temporarily' };
  return out.sort((x, y) => x.timeUs - y.timeUs || x.resident - y.resident);
}
