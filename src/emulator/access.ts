import type { AppState, IpRange, LoginHours, UserState } from './types.js';

/** '::ffff:127.0.0.1' (IPv4-mapped, what a dual-stack socket reports) -> '127.0.0.1'. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((total, part) => total * 256 + Number(part), 0);
}

/** True when the address is inside one of the ranges; no ranges means no restriction. */
export function insideIpRanges(address: string, ranges: readonly IpRange[]): boolean {
  if (ranges.length === 0) return true;
  const value = ipv4ToNumber(address);
  if (value === undefined) return false; // IPv6 callers are outside any IPv4 range
  return ranges.some((range) => {
    const start = ipv4ToNumber(range.start);
    const end = ipv4ToNumber(range.end);
    return start !== undefined && end !== undefined && value >= start && value <= end;
  });
}

/** True when `hour` (0-23) is within the window; a window may wrap midnight (22 -> 6). */
export function withinLoginHours(hour: number, hours: LoginHours | null): boolean {
  if (!hours) return true;
  const { startHour, endHour } = hours;
  if (startHour === endHour) return false;
  return startHour < endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

/**
 * How the app's Permitted Users policy judges the user: 'ok', 'not_approved' (self-authorize and the user
 * never approved) or 'not_assigned' (admin approved and neither the profile nor a permission set is assigned).
 */
export function appAccess(app: AppState, user: UserState): 'ok' | 'not_approved' | 'not_assigned' {
  if (app.permittedUsers === 'self_authorize') return user.approvedApps.includes(app.clientId) ? 'ok' : 'not_approved';
  const byProfile = app.preAuthorizedProfiles.includes(user.profile.name);
  const byPermissionSet = user.permissionSets.some((set) => app.preAuthorizedPermissionSets.includes(set));
  return byProfile || byPermissionSet ? 'ok' : 'not_assigned';
}
