/** What `peephole train` prints of a model it trained and wrote: the data, the backend, the epochs and speed, the accuracy. */
import type { TrainingRun } from '../attack/fit-preset.js';
import type { ModelManifest } from '../attack/model-files.js';

/** The text report of a trained model written to `out`; `fit` is null for the rules preset. */
export function renderTrainText(model: { readonly out: string; readonly manifest: ModelManifest; readonly fit: TrainingRun | null }): string {
  const { out, manifest, fit } = model;
  const t = manifest.training;
  const lines = [`peephole train: preset ${manifest.preset} → ${out}`];
  if (manifest.preset === 'structured') {
    lines.push(`  data        ${t.data} (${t.lives} lives, ${t.activities} labelled activities)`, '  learned     the structured day\'s priors (structure.json): durations, hours of waking and bed, where an awake home goes, each resident\'s moves per hour');
  } else if (fit === null) {
    lines.push('  no learning: the rules of the rules preset, written as a model folder');
  } else {
    lines.push(
      `  data        ${t.data} (${t.rows} rows: ${t.trainRows} to train, ${t.validationRows} to validate)`,
      `  backend     ${fit.backend} (${fit.backendReason})`,
      `  epochs      ${t.epochs} × batch ${t.batchSize}, ${Math.round(fit.samplesPerSecond).toLocaleString('en-US')} samples/s, ${fit.trainSeconds.toFixed(1)} s`,
      `  accuracy    ${(t.accuracy as number).toFixed(4)} on training rows, ${t.validationAccuracy === null ? 'no validation rows' : `${(t.validationAccuracy as number).toFixed(4)} on validation rows`}`,
    );
  }
  return lines.join('\n') + '\n';
}
