/**
 * The built-in homes the learned presets are trained and tested on, named once: `peephole train
 * --bundled` and `peephole study` learn from the same four homes and keep `sensor-rich` out of
 * training, so that every preset can be tested on a home it never saw.
 */

/** The homes the bundled model and the study's presets learn from. */
export const TRAINING_HOMES = ['paper', 'couple-shifts', 'family', 'night-shift'] as const;

/** The home no preset is trained on: the test of a home never seen. */
export const UNSEEN_HOME = 'sensor-rich';

/** A home the presets learn from, observed on new days (the study's capture and its seen-home test). */
export const OBSERVED_HOME = 'family';

/** What `peephole train --bundled` builds: the model `peephole attack` uses by default. */
export const BUNDLED_MODEL = {
  // The structured preset does best on the real development homes while learning only from
  // simulated ones: see docs/architecture.md, the attack.
  preset: 'structured',
  /** The homes a network preset learns from with --bundled --preset NAME. */
  homes: TRAINING_HOMES,
  /** Days of each home's simulated life. */
  days: 120,
  /**
   * The structured preset's priors are counted from randomised homes (home/random-home.ts), not the
   * four built-in ones: homes of 1 to 5 residents with shifts, outings, naps and nights away, as
   * the issue of homes never seen asks. Timeline macro-F1 at 30 min on the real development homes,
   * B and C: 0.819 and 0.835 from 200 random homes of 30 days (seeds 1000 to 1199), 0.819 and 0.835
   * from 1,000 of them, 0.819 and 0.837 from 200 others (seeds 5000 on); 0.796 and 0.843 from the 4
   * built-in homes of 120 days. The seeds leave out those the tests and the study name (below 1000).
   */
  randomHomes: { count: 200, days: 30, firstSeed: 1000 },
} as const;
