/**
 * One category taxonomy for every device verdict, every knowledge-base table and every `--known`
 * entry. Ids are single words so they read well in tables and files; what each covers:
 *
 * | id | covers |
 * | --- | --- |
 * | `hub` | a hub or bridge: a gateway for Zigbee, Z-Wave, Bluetooth or RF devices (Hue Bridge, SmartThings, a lock's Wi-Fi bridge) |
 * | `light` | a bulb, light strip, or light switch or dimmer |
 * | `plug` | a smart plug, outlet or relay |
 * | `lock` | a smart lock |
 * | `camera` | a camera (indoor, outdoor, baby monitor) |
 * | `doorbell` | a video doorbell |
 * | `speaker` | a speaker or voice assistant (Echo, Google Home, Sonos) |
 * | `tv` | a TV or streaming player (Fire TV, Chromecast, Roku, Apple TV) |
 * | `thermostat` | a thermostat, heating or air-conditioning controller |
 * | `sensor` | a sensor or measuring device: motion, contact, water, air, a bathroom scale, a weather station |
 * | `alarm` | an alarm base station, keypad or siren |
 * | `vacuum` | a robot vacuum or mop |
 * | `appliance` | a household appliance: kitchen, laundry, fan, purifier, garage door opener, blinds |
 * | `computer` | a phone, tablet, computer or storage (NAS) |
 * | `printer` | a printer or scanner |
 * | `router` | the home's gateway, a router, mesh node or access point |
 * | `other` | anything else |
 *
 * Older spellings are accepted where users write categories (`--known`, `--rules`) and mapped here:
 * `phone` is `computer`, `streamer` is `tv`, `garage` is `appliance`.
 */

export const DEVICE_CATEGORIES = [
  'hub',
  'light',
  'plug',
  'lock',
  'camera',
  'doorbell',
  'speaker',
  'tv',
  'thermostat',
  'sensor',
  'alarm',
  'vacuum',
  'appliance',
  'computer',
  'printer',
  'router',
  'other',
] as const;

export type DeviceCategory = (typeof DEVICE_CATEGORIES)[number];

/** What each id covers, for help texts and the tables' headers. */
export const CATEGORY_LABELS: Readonly<Record<DeviceCategory, string>> = {
  hub: 'hub/bridge',
  light: 'light',
  plug: 'plug',
  lock: 'lock',
  camera: 'camera',
  doorbell: 'doorbell',
  speaker: 'speaker/assistant',
  tv: 'tv/streamer',
  thermostat: 'thermostat',
  sensor: 'sensor',
  alarm: 'alarm',
  vacuum: 'vacuum',
  appliance: 'appliance',
  computer: 'phone/computer',
  printer: 'printer',
  router: 'router',
  other: 'other',
};

const CATEGORY_SET: ReadonlySet<string> = new Set(DEVICE_CATEGORIES);

/** Older or alternative spellings, mapped onto the taxonomy. */
const CATEGORY_ALIASES: ReadonlyMap<string, DeviceCategory> = new Map<string, DeviceCategory>([
  ['phone', 'computer'],
  ['tablet', 'computer'],
  ['streamer', 'tv'],
  ['garage', 'appliance'],
  ['bridge', 'hub'],
  ['assistant', 'speaker'],
  ...Object.entries(CATEGORY_LABELS).map(([id, label]) => [label, id as DeviceCategory] as const),
]);

/** The category a (case-insensitive) id, label or alias names, or null. */
export function deviceCategory(text: string): DeviceCategory | null {
  const key = text.trim().toLowerCase();
  if (CATEGORY_SET.has(key)) return key as DeviceCategory;
  return CATEGORY_ALIASES.get(key) ?? null;
}

/** The accepted spellings, for an error message. */
export function categoryChoices(): string {
  return DEVICE_CATEGORIES.join(', ');
}
