/**
 * The activities an observer tries to infer (the glossary's word: what a resident did), with the class
 * ids as published (Al Ameedee & Lee 2018), and why a device was used.
 */

/** The five activities, in the published order: the index is the class id (0..4). */
export const ACTIVITIES = ['wake_up', 'leave_home', 'return_home', 'leave_temporarily', 'go_to_bed'] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** The class id of an activity as published (wake_up 0 … go_to_bed 4). */
export function activityId(activity: Activity): number {
  return ACTIVITIES.indexOf(activity);
}

/**
 * Why a device was used: an activity of a resident, or no activity: `noise` (a light toggled, a
 * guest) or `cover` (a defence made the device act to hide the real uses among false ones).
 */
export type UsageCause = Activity | 'noise' | 'cover';

/** The causes that are no activity, as events.csv spells them. */
export const NON_ACTIVITY_CAUSES = ['noise', 'cover'] as const;

/** True when `cause` is an activity (not noise, not cover). */
export function isActivity(cause: UsageCause): cause is Activity {
  return cause !== 'noise' && cause !== 'cover';
}
