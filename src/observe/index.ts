/** observe/: what a capture shows: its summary, hosts, names, the devices and their vendors, traffic per device over time. */
export { inspectCapture, type InspectOptions, type InspectReport } from './inspect.js';
export { observeDevices, type ObserveOptions } from './devices.js';
export { identifyDevices, type DevicesReport, type Evidence, type EvidenceKind, type IdentifiedDevice, type IdentifyOptions, type MatchedRule } from './identify.js';
export { CATEGORY_LABELS, DEVICE_CATEGORIES, deviceCategory, type DeviceCategory } from './categories.js';
export { defaultVendorDirectory, loadVendorDirectory, VendorDirectory, type VendorRow, type VendorRole } from './vendors.js';
export { defaultDevicePatterns, loadDevicePatterns, DevicePatterns, type PatternClue, type PatternRow } from './device-patterns.js';
export { KnowledgeTableError } from './knowledge-table.js';
export { defaultVendorRules, loadVendorRules, parseVendorRules, VendorRules, VendorRulesError, VENDOR_CATEGORIES, type VendorCategory, type VendorRule } from './vendor-rules.js';
export { registeredVendorLookup } from './oui.js';
export { deviceTimeline, type TimelineOptions as DeviceTimelineOptions } from './timeline.js';
export type { TimelineSeries } from './timeline-series.js';
export type { TrafficSummary } from './traffic-summary.js';
