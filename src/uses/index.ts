/** uses/: when each device was used (a person made it act), apart from its background traffic. */
export { detectUsage, judgeDevice, DeviceBurstCollector, type DetectUsageOptions, type DeviceUsage, type UsageReport } from './detect-usage.js';
export { DeviceJudge, DEFAULT_JUDGE_BLOCK_US, DEFAULT_JUDGE_MARGIN_US, type JudgeOptions, type JudgedUse } from './device-judge.js';
export { type DetectedUse, type UsageDirection, usageDirection, compareUsageEvents, DIRECTION_SHARE } from './detected-use.js';
export { BurstGrouper, DEFAULT_BURST_GAP_US, shapeOf, shapeKey, packetShape, type BurstSummary } from './burst.js';
export { detectPeriod, type Periodicity, type PeriodOptions } from './period.js';
export { learnBaseline, roughFit, type DeviceBaseline, type HeartbeatShape, type RoughHeartbeat } from './baseline.js';
export { BurstClassifier, classifyBursts, BURST_LABELS, type BurstLabel, type BurstVerdict } from './classify.js';
export { PacketFacts, PacketRole, PACKET_ROLE_NAMES } from './packet-role.js';
export { HandshakeTracker, SealedHandshake } from './handshake.js';
export { formatUsageCsv, usageCsvLine, writeUsageCsv, isoTimeUs, USAGE_CSV_HEADER } from './usage-csv.js';
export { scoreUsageDetection, matchUses, observedDevices, type DetectionCounts, type UsageScore } from './score.js';
