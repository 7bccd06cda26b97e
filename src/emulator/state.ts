import { DEFAULT_CLIENT_ID, DEFAULT_ORG_ID, DEFAULT_USER_ID, DEFAULT_USERNAME } from './ids.js';
import type { AppState, EmulatorOptions, OrgState, UserState } from './types.js';

/** Oldest and newest REST API versions the emulated org lists (v66.0 is Spring '26). */
export const OLDEST_API_VERSION = 31;
export const NEWEST_API_VERSION = 66;

/** The login limit Salesforce enforces per user per hour. */
export const LOGINS_PER_HOUR = 3600;

/** The profile the default user has, pre-authorized on the app. */
// A healthy org follows the least-privilege advice: a dedicated API-only integration user.
export const DEFAULT_PROFILE = 'Minimum Access - API Only Integrations';

/** The permission set assigned to the default user (not pre-authorized by default: the profile is). */
export const DEFAULT_PERMISSION_SET = 'JWT_Integration';

/**
 * The healthy org every scenario starts from: one app set up as the facts sheet recommends (admin approved,
 * the user's profile pre-authorized, scopes api + refresh_token, offline_access) and one active user.
 */
export function healthyState(options: EmulatorOptions, url: string): OrgState {
  const sandbox = options.sandbox ?? false;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const app: AppState = {
    name: 'sf-setup JWT',
    type: options.appType ?? 'connected_app',
    clientId,
    certificates: [...(options.certificates ?? [])],
    permittedUsers: 'admin_approved',
    preAuthorizedProfiles: [DEFAULT_PROFILE],
    preAuthorizedPermissionSets: [],
    scopes: ['api', 'refresh_token', 'offline_access'],
  };
  const user: UserState = {
    username: options.username ?? DEFAULT_USERNAME,
    userId: DEFAULT_USER_ID,
    email: 'demo@example.com',
    displayName: 'Demo User',
    profile: { name: DEFAULT_PROFILE, loginIpRanges: [], loginHours: null, apiEnabled: true },
    permissionSets: [DEFAULT_PERMISSION_SET],
    active: true,
    frozen: false,
    approvedApps: [],
  };
  const apiVersions: string[] = [];
  for (let v = OLDEST_API_VERSION; v <= NEWEST_API_VERSION; v++) apiVersions.push(`${v}.0`);
  return {
    org: {
      orgId: DEFAULT_ORG_ID,
      name: sandbox ? 'Emulated Org (sandbox)' : 'Emulated Org',
      url,
      myDomain: url,
      sandbox,
      active: true,
      // Sandboxes report their production org's edition; Developer Edition is the usual free production org.
      organizationType: sandbox ? 'Enterprise Edition' : 'Developer Edition',
      apiVersions,
      loginsPerHour: LOGINS_PER_HOUR,
    },
    apps: [app],
    users: [user],
    clockOffsetMs: 0,
    loginCounter: {},
    fault: 'none',
    slowMs: options.slowMs ?? 5000,
  };
}

/** The org's clock: the machine's plus the offset (clock_ahead). */
export function orgNow(state: OrgState): number {
  return Date.now() + state.clockOffsetMs;
}

/** The user a `sub` claim names; Salesforce usernames are case-insensitive. */
export function findUser(state: OrgState, username: string): UserState | undefined {
  const wanted = username.toLowerCase();
  return state.users.find((user) => user.username.toLowerCase() === wanted);
}

/** "Spring '26" for 66: three releases a year, v20.0 was Winter '11. */
export function releaseLabel(version: number): string {
  const offset = version - 20;
  const season = ['Winter', 'Spring', 'Summer'][((offset % 3) + 3) % 3];
  const year = 11 + Math.floor(offset / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}
