/** features/: feature rows from device uses: the published set exactly, `extended` and `sequence`. */
export { ATTACK_CLASSES, FEATURE_SETS, featureSet, labelOf, NONE_CLASS, NO_LABEL, type AttackClass, type FeatureRows, type FeatureSet, type FeatureSetName, type UseContext } from './feature-set.js';
export { PAPER_FEATURE_COLUMNS, PAPER_LABEL_COLUMN, paperCsvHeader, paperCsvLine, paperFeatureRows, type PaperFeatureRow } from './paper-features.js';
export { PaperCsvError, parsePaperCsv, readPaperCsv, type PaperCsvRows } from './paper-csv.js';
export { EXTENDED_COLUMNS } from './extended.js';
export { sequenceColumns, DEFAULT_SEQUENCE_K } from './sequence-window.js';
