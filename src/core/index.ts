/** core/: the words every stage shares, and the small utilities below every stage. */
export { ACTIVITIES, activityId, isActivity, NON_ACTIVITY_CAUSES, type Activity, type UsageCause } from './activities.js';
export { ATTACK_KINDS, attackKind, attackKindIndex, DEVICE_ACTIONS, DEVICE_KINDS, ENTRANCE_KINDS, isAttackKind, isEntranceKind, type AttackKind, type DeviceKind } from './kinds.js';
export type { DeviceUse } from './device-use.js';
export { CAPTURE_FORMATS, VANTAGES, type CaptureFormat, type Vantage } from './vantage.js';
export { atPlace, BadInputError, errnoText, FileAccessError, readInputText, type InputPlace } from './bad-input-error.js';
export { DecodeError } from './decode-error.js';
export { Random, seededRandom } from './random.js';
export { csvCell, quotedCell, RowFormatter, visibleControls, visibleLines, visibleStrings, wireJson, type RowFormat } from './table-format.js';
export { formatIpv4, formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac } from './bytes.js';
export { isRawIpLinkType, knownLinkTypes, LINKTYPE, linkTypeName, linkTypeShortName } from './link-type.js';
export { STAGES, type Stage } from './stages.js';
export { median } from './median.js';
