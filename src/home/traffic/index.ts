export { HomeTrafficWriter, linkTypeFor, type HomeTrafficOptions, type TrafficTotals } from './home-traffic-writer.js';
export {
  loadDeviceProfiles,
  parseDeviceProfiles,
  profileFor,
  defaultProfile,
  actionsNeeded,
  DEVICE_PROFILES_FILE,
  type DeviceProfile,
  type DeviceProfiles,
  type ActionProfile,
  type BurstMessage,
  type SessionProfile,
  type DnsNameProfile,
  type NtpProfile,
} from './device-profiles.js';
