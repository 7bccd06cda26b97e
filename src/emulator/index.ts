/**
 * The emulated Salesforce org: an HTTP server on 127.0.0.1 that answers the OAuth 2.0 JWT Bearer Flow the
 * way Salesforce does (same checks, same order, same error bodies) plus userinfo, the identity URL and a
 * sliver of REST. Backbone of the tests and of `sf-setup demo`. UI-free: node:http and node:crypto only.
 */
export { startEmulator } from './server.js';
export { SCENARIOS, OTHER_SANDBOX_MY_DOMAIN, type ScenarioExpectation, type ScenarioInfo } from './scenarios.js';
export { DEFAULT_CLIENT_ID, DEFAULT_USERNAME, DEFAULT_ORG_ID, DEFAULT_USER_ID, toId18 } from './ids.js';
export { JWT_BEARER_GRANT } from './token-endpoint.js';
export { BODY_LIMIT } from './body.js';
export { LOGINS_PER_HOUR, NEWEST_API_VERSION, OLDEST_API_VERSION } from './state.js';
export type {
  AppState,
  AppType,
  EmulatedOrg,
  EmulatorOptions,
  FaultKind,
  IpRange,
  LoggedClaims,
  LoggedRequest,
  LoginCount,
  LoginHours,
  OrgInfo,
  OrgState,
  PermittedUsersPolicy,
  ProfileState,
  ScenarioName,
  UserState,
} from './types.js';
export { emulatorConfig } from './config.js';
