/**
 * Types of the emulated Salesforce org: its mutable state (what a real org's Setup pages hold), the
 * request log, and the options and handle of a running emulator.
 */

/** A named preset that breaks (or not) the emulated org the way a real misconfiguration would. */
export type ScenarioName =
  | 'ok'
  | 'user_not_approved'
  | 'key_mismatch'
  | 'invalid_client_id'
  | 'audience_invalid'
  | 'ip_restricted'
  | 'login_hours'
  | 'user_inactive'
  | 'org_inactive'
  | 'not_assigned'
  | 'scope_missing'
  | 'rate_limited'
  | 'maintenance'
  | 'slow'
  | 'clock_ahead'
  | 'api_disabled'
  | 'unsupported_grant_type';

/**
 * Faults that are not OAuth answers: the org misbehaves at the HTTP level. 'form_dropped' is something on the
 * way (an http -> https redirect followed by the client, a proxy) turning the form POST into a GET without
 * its body, so the token endpoint sees no grant at all.
 */
export type FaultKind = 'none' | 'maintenance' | 'server_error' | 'slow' | 'drop' | 'form_dropped';

/** Connected App (classic) or External Client App (Spring '26 default); both support the JWT flow. */
export type AppType = 'connected_app' | 'external_client_app';

/** Setup > App > Manage > Edit Policies > Permitted Users. */
export type PermittedUsersPolicy = 'admin_approved' | 'self_authorize';

/** One Login IP Range of a profile; IPv4 dotted quads, inclusive. */
export interface IpRange {
  start: string;
  end: string;
}

/** A profile's Login Hours, in whole hours of the org's clock (UTC here); endHour is exclusive. */
export interface LoginHours {
  startHour: number;
  endHour: number;
}

export interface ProfileState {
  name: string;
  /** Empty: no restriction. The JWT flow always enforces these (the app's "Relax IP restrictions" does not help). */
  loginIpRanges: IpRange[];
  loginHours: LoginHours | null;
  /** The "API Enabled" permission; without it Salesforce refuses the JWT login with `authentication failure`. */
  apiEnabled: boolean;
}

export interface UserState {
  /** Salesforce usernames are matched case-insensitively. */
  username: string;
  /** 18-character user id, '005…'. */
  userId: string;
  email: string;
  displayName: string;
  profile: ProfileState;
  /** API names of the permission sets assigned to the user. */
  permissionSets: string[];
  active: boolean;
  frozen: boolean;
  /** Consumer keys of the apps the user approved ("self_authorize" apps need this). */
  approvedApps: string[];
}

export interface AppState {
  name: string;
  type: AppType;
  /** The Consumer Key the app really has (clients are told `EmulatedOrg.clientId`). */
  clientId: string;
  /** PEM certificates uploaded under "Use digital signatures" (or ECA "Enable JWT Bearer Flow"). */
  certificates: string[];
  permittedUsers: PermittedUsersPolicy;
  preAuthorizedProfiles: string[];
  preAuthorizedPermissionSets: string[];
  /** Selected OAuth scopes, e.g. ['api', 'refresh_token', 'offline_access']. */
  scopes: string[];
}

export interface OrgInfo {
  /** 18-character org id, '00D…'. */
  orgId: string;
  name: string;
  /** Where the emulator listens: instance_url and the host clients call. */
  url: string;
  /**
   * The org's My Domain origin, accepted as `aud`. Normally equal to `url`; the `audience_invalid` preset
   * points it elsewhere (see scenarios.ts).
   */
  myDomain: string;
  sandbox: boolean;
  /** False: locked, closed, suspended or an expired trial/scratch org. */
  active: boolean;
  /** OrganizationType as SOQL reports it, e.g. 'Developer Edition'. */
  organizationType: string;
  /** Supported REST API versions, oldest first, e.g. ['31.0', …, '66.0']. */
  apiVersions: string[];
  /** Logins allowed per user per rolling hour (Salesforce: 3,600). */
  loginsPerHour: number;
}

/** Logins counted for one user in the current rolling hour (org clock). */
export interface LoginCount {
  windowStart: number;
  count: number;
}

/**
 * Everything the emulated org decides with. Mutable on purpose: tests change it directly to reproduce a
 * setup (freeze a user, add an IP range) instead of asking for canned answers.
 */
export interface OrgState {
  org: OrgInfo;
  apps: AppState[];
  users: UserState[];
  /** Added to the machine's clock to get the org's clock (exp checks, Date header, login hours). */
  clockOffsetMs: number;
  /** Keyed by lower-cased username. */
  loginCounter: Record<string, LoginCount>;
  /** HTTP-level fault applied to every request. */
  fault: FaultKind;
  /** Delay of the 'slow' fault. */
  slowMs: number;
}

/** The claims worth logging; never the assertion itself. */
export interface LoggedClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/**
 * One request as the emulator saw it. Holds no secrets: never the assertion, a private key or an access
 * token (at most its first 8 characters, which are the org id's prefix). The query string is dropped
 * because clients put tokens there (jsforce's identity() sends `oauth_token=`).
 */
export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** HTTP status; 0 when the connection was dropped without an answer. */
  status: number;
  /** Machine clock, ms since the epoch, when the answer was sent. */
  time: number;
  remoteAddress: string;
  /** OAuth `error` or REST `errorCode`; 'dropped' for the drop fault. */
  error?: string;
  errorDescription?: string;
  claims?: LoggedClaims;
  /** First 8 characters of the access token issued or presented. */
  tokenPrefix?: string;
}

export interface EmulatorOptions {
  /** Default 0 (a random free port). The server always binds 127.0.0.1. */
  port?: number;
  /** Default 'ok'. */
  scenario?: ScenarioName;
  /** PEM certificate(s) "uploaded" to the app; signatures are verified against these. */
  certificates?: string[];
  /** Consumer Key; default DEFAULT_CLIENT_ID. */
  clientId?: string;
  /** Default DEFAULT_USERNAME. */
  username?: string;
  /** Default false (production: login.salesforce.com is an accepted aud). */
  sandbox?: boolean;
  /** Default 'connected_app'. */
  appType?: AppType;
  /** Delay of the 'slow' scenario and fault; default 5000. */
  slowMs?: number;
}

/** A running emulated org. */
export interface EmulatedOrg {
  /** 'http://127.0.0.1:PORT': the org's My Domain origin and instance_url. */
  readonly url: string;
  /** url + '/services/oauth2/token'. */
  readonly tokenUrl: string;
  /** The My Domain audience a client should put in `aud` (equal to url). */
  readonly audience: string;
  /** The Consumer Key clients are told to use (the `invalid_client_id` preset changes the app's, not this). */
  readonly clientId: string;
  /** The username clients are told to use. */
  readonly username: string;
  readonly state: OrgState;
  readonly requests: LoggedRequest[];
  /**
   * "Use digital signatures > upload": a Connected App holds one certificate, so by default the upload
   * replaces the current one; `{ replace: false }` adds it (handy to test rotation).
   * Throws TypeError when `pem` is not an X.509 certificate.
   */
  uploadCertificate(pem: string, options?: { replace?: boolean }): void;
  /** Reset the state to 'ok' (keeping the uploaded certificates) and apply the preset. */
  applyScenario(name: ScenarioName): void;
  /** Make every following request fail at the HTTP level ('none' to heal). */
  fault(kind: FaultKind): void;
  /** Stop listening and destroy open sockets, pending slow answers included. */
  close(): Promise<void>;
}
