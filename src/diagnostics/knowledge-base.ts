import { ECA_JWT_UPLOAD, ECA_OAUTH_POLICIES, SCOPE_API_LABEL, SCOPE_API_OLDER_LABEL } from '../salesforce/setup-pages.js';

/**
 * The knowledge base: every failure sf-setup can name, how it is recognised, its causes (most likely
 * first) and the fix as steps. It is the single source for `test`, `doctor`, `explain`, the wizard's failure
 * card and the support report: front ends render these entries, they never write their own advice.
 *
 * Facts come from ../shared/reference/salesforce-jwt-facts.md (Salesforce's exact error strings and what
 * causes them) and the two seed guides. Where the facts sheet marks a fact as less than certain, the entry's
 * `confidence` says so and renderers say "likely".
 */

export type Confidence = 'high' | 'medium' | 'low';

/** Which wizard step fixes a failure (1 keys, 2 app in Salesforce, 3 configuration). */
export type WizardStep = 1 | 2 | 3;

export interface KnowledgeEntry {
  /** Stable code, shown to users and used in `--json`. */
  code: string;
  /** One line, in the user's words. */
  title: string;
  /** What happened, in a sentence or two. */
  summary: string;
  /** Causes, most likely first. */
  causes: string[];
  /** The fix, as steps to follow in order. */
  fix: string[];
  /** How sure we are that this text means this cause (from the facts sheet). */
  confidence: Confidence;
  /** How the failure is recognised in Salesforce's answer or in pasted text. */
  recognise?: {
    /** OAuth `error` values (exact, lower case). */
    error?: string[];
    /** Patterns on `error_description` or on pasted text. */
    description?: RegExp[];
    /** Patterns recognised only in pasted free text (explain), e.g. browser-page codes. */
    text?: RegExp[];
    /** Salesforce's exact error_description (facts sheet): a pasted near miss ("audience is invlaid") reads as it. */
    wording?: string[];
  };
  /**
   * One entry, several wordings: when Salesforce's words match `when`, the causes and fix steps matching
   * `first` lead, and the summary and confidence may be the variant's (applied by classify).
   */
  variants?: { when: RegExp; first: RegExp; summary?: string; confidence?: Confidence }[];
  /** The wizard step that fixes this. */
  wizardStep?: WizardStep;
  /** True when the answer can change by itself within minutes (Salesforce propagates app changes in 2-10 min). */
  propagates?: boolean;
}

/**
 * The heading over an entry's causes, one wording for every front end: "likely" when the entry's confidence
 * is below high (Salesforce's words do not settle the cause).
 */
export function causesHeading(hedged: boolean): string {
  return hedged ? 'Likely causes, most likely first (Salesforce does not say for certain):' : 'Causes, most likely first:';
}

const PROPAGATION = 'Salesforce takes 2-10 minutes to apply changes to an app: after a change, wait and try again.';

/** The External Client App's pages for the Connected App steps below (the wizard checklist's paths). */
const ECA_POLICIES = `External Client App: your app > ${ECA_OAUTH_POLICIES}`;
const ECA_UPLOAD = `External Client App: your app > ${ECA_JWT_UPLOAD}`;
const ECA_SCOPES = 'External Client App: your app > API (Enable OAuth Settings) > OAuth Scopes';
/** The api scope's label in Setup, and the one older orgs and guides use. */
const SCOPE_API = `"${SCOPE_API_LABEL}" (older label: "${SCOPE_API_OLDER_LABEL}")`;

const PRE_AUTHORIZE_STEPS = [
  `Setup > App Manager > find your app > ▾ > Manage > Edit Policies (${ECA_POLICIES}).`,
  'Permitted Users: "Admin approved users are pre-authorized". Save.',
  `On the same page: Manage Profiles or Manage Permission Sets > add the profile or a permission set of the user (${ECA_POLICIES} > Select Profiles / Permission Sets).`,
];

/**
 * Ordered: the first entry whose recogniser matches wins, so specific descriptions come before the
 * generic entry for their `error` value.
 */
export const KNOWLEDGE_BASE: readonly KnowledgeEntry[] = [
  // ---------------------------------------------------------------- Salesforce token endpoint answers
  {
    code: 'user_not_approved',
    title: "The user hasn't approved the app",
    summary:
      "Salesforce answered invalid_grant: user hasn't approved this consumer. The app exists and the signature is good, but Salesforce does not consider this user allowed to use it.",
    causes: [
      'Permitted Users is "All users may self-authorize" and this user never approved the app.',
      'Permitted Users is "Admin approved users are pre-authorized" but the user\'s profile or permission set is not added to the app.',
      'The app was changed in the last few minutes and Salesforce has not propagated it yet (2-10 minutes).',
      'The username is wrong (a sandbox username must end in .sandboxname), or the app lives in another org (e.g. a sandbox refreshed from production before the app existed).',
    ],
    fix: [
      ...PRE_AUTHORIZE_STEPS,
      'Or approve once as that user: open the authorize URL (`sf-setup test` and `sf-setup doctor` print it for your app), log in as the user, and click Allow.',
      'Check the username in your config (sandbox usernames end in .sandboxname).',
      PROPAGATION,
    ],
    confidence: 'high',
    recognise: { wording: ["user hasn't approved this consumer"], error: ['invalid_grant'], description: [/user hasn'?t approved this consumer/i, /hasn'?t approved\b/i, /not approved this consumer/i] },
    wizardStep: 2,
    propagates: true,
  },
  {
    code: 'invalid_signature',
    title: 'Salesforce could not verify the signature (invalid assertion)',
    summary:
      'Salesforce answered invalid_grant: invalid assertion. The signed JWT did not verify against the certificate uploaded to the app (some guides call this "invalid signature").',
    causes: [
      'The private key does not match the certificate uploaded to the app (a different or older certificate is uploaded).',
      'The JWT is malformed: standard base64 instead of base64url, or an algorithm other than RS256.',
    ],
    fix: [
      'Run `sf-setup doctor`: it checks that your private key and local certificate match.',
      `Upload the certificate made from this key: Setup > App Manager > your app > Edit > Use digital signatures > Choose File (certs/server.crt) > Save (${ECA_UPLOAD}).`,
      `If the key and certificate do not match each other, generate a new pair (\`sf-setup keygen --force\`), upload the new certificate (App Manager > your app > Edit > Use digital signatures; ${ECA_UPLOAD}), and update privateKeyPath.`,
    ],
    confidence: 'high',
    recognise: { wording: ['invalid assertion'], error: ['invalid_grant'], description: [/invalid[ _]assertion/i, /invalid signature/i, /jwt signature/i] },
    wizardStep: 1,
  },
  {
    code: 'audience_invalid',
    title: 'The audience (aud) does not match the login host',
    summary:
      "Salesforce answered invalid_grant: audience is invalid. The JWT's aud claim is not one this org accepts for the host the request went to.",
    causes: [
      'A production audience (https://login.salesforce.com) sent to a sandbox, or https://test.salesforce.com sent to production.',
      'A My Domain or Experience Cloud site is the token host, but aud names another host.',
    ],
    fix: [
      'Use the audience that matches the token URL: login.salesforce.com -> https://login.salesforce.com; test.salesforce.com -> https://test.salesforce.com; a My Domain -> its https:// origin.',
      'Remove "audience" from .sfconnect.json (and SF_AUDIENCE) to let sf-setup derive it from tokenUrl.',
      'Sandbox: tokenUrl https://test.salesforce.com/services/oauth2/token (or the sandbox My Domain).',
    ],
    confidence: 'high',
    recognise: { wording: ['audience is invalid'], error: ['invalid_grant'], description: [/audience (is )?invalid/i, /invalid audience/i] },
    wizardStep: 3,
  },
  {
    code: 'assertion_expired',
    title: 'The assertion had already expired (clock)',
    summary:
      "Salesforce answered invalid_grant: expired authorization code. The JWT's exp was in the past by Salesforce's clock.",
    causes: [
      "This machine's clock is behind (assertions live 180 seconds).",
      'A client bug: exp computed in the wrong time zone or unit.',
    ],
    fix: [
      "Sync this machine's clock (NTP: `sudo timedatectl set-ntp true`, or your OS's time settings).",
      'Run `sf-setup doctor`: its clock check compares this machine with Salesforce.',
      'If you sign assertions yourself: exp = now + 180, in seconds since the epoch, UTC.',
    ],
    confidence: 'medium',
    recognise: { wording: ['expired authorization code'], error: ['invalid_grant'], description: [/expired authorization code/i] },
  },
  {
    // Facts sheet: the rule high, the text medium.
    code: 'ip_restricted',
    title: "This machine's IP address, or the time (login hours), is not allowed for this user",
    summary:
      "Salesforce answered invalid_grant: ip restricted. The address this request came from is outside the Login IP Ranges of the user's profile, or the login is outside the profile's Login Hours. Salesforce's wording for this refusal varies (older orgs: \"IP restricted or invalid login hours\"), so the reading is likely, not certain.",
    causes: [
      "The caller's public IP address is not in the profile's Login IP Ranges (CI runners and VPNs use different addresses than your desk).",
      "The login is outside the profile's Login Hours.",
    ],
    fix: [
      "Setup > Profiles > the user's profile > Login IP Ranges > New (Enhanced Profile UI: Add IP Ranges).",
      'Add every address the tool runs from, each as its own range with IP Start Address = IP End Address: your office or VPN egress, and each CI runner\'s egress address.',
      "The app's \"Relax IP restrictions\" setting does not help: the JWT Bearer Flow always enforces the profile's Login IP Ranges.",
      "Check the profile's Login Hours too.",
    ],
    confidence: 'medium',
    recognise: { wording: ['ip restricted', 'IP restricted or invalid login hours'], error: ['invalid_grant'], description: [/ip restric/i, /invalid login hours/i, /login hours/i] },
  },
  {
    code: 'authentication_failure',
    title: 'Salesforce refused the login without saying why (authentication failure)',
    summary: 'Salesforce answered invalid_grant: authentication failure, its most generic refusal.',
    causes: [
      'The user lacks the "API Enabled" permission, or the org has no API access (e.g. Professional Edition without API).',
      'Others Salesforce does not name: the org blocks the login another way.',
    ],
    fix: [
      "Check the user is active and its profile or a permission set has \"API Enabled\".",
      'Check the org edition includes API access.',
      'Log in as the user in a browser once to see whether Salesforce asks for anything.',
    ],
    confidence: 'low',
    recognise: { wording: ['authentication failure'], error: ['invalid_grant'], description: [/authentication failure/i] },
  },
  {
    // Not in the facts sheet (the SOAP API's and the username-password flow's answers): hedged.
    code: 'password_login',
    title: "A password login was refused: this is not a JWT Bearer Flow error",
    summary:
      'INVALID_LOGIN (or LOGIN_MUST_USE_SECURITY_TOKEN) is how Salesforce refuses a username-and-password login (the SOAP API\'s login() call, or the OAuth username-password flow), not the JWT Bearer Flow, which sends no password. Most likely the tool that printed it is set up to log in with a password.',
    causes: [
      'The tool or its settings use a password login, not the JWT Bearer Flow: a username and password in its configuration, or a login command that is not its JWT one.',
      "For the password login itself: a wrong password, a missing security token (appended to the password outside the org's trusted IP ranges), or a locked-out user.",
    ],
    fix: [
      'To use the JWT Bearer Flow: give the tool the Consumer Key, the username and the private key instead of a password (for the Salesforce CLI, `sf org login jwt`), and check the setup with `sf-setup doctor`.',
      "To keep the password login: check the username and password, append the user's security token to the password (Settings > Reset My Security Token), and check the user is not locked out (Setup > Users).",
    ],
    confidence: 'medium',
    recognise: { text: [/\bINVALID_LOGIN\b/i, /\bLOGIN_MUST_USE_SECURITY_TOKEN\b/i] },
  },
  {
    code: 'invalid_client_id',
    title: 'Salesforce does not know this Consumer Key',
    summary:
      "Salesforce answered invalid_client_id: client identifier invalid. The JWT's iss (your clientId) names no app Salesforce can find.",
    causes: [
      'The Consumer Key is mistyped, truncated or has whitespace.',
      'The app is in another org (or was deleted), or the request went to the wrong host (sandbox vs production).',
      'The app is only minutes old and Salesforce has not propagated it yet (2-10 minutes).',
    ],
    fix: [
      'Copy the Consumer Key again: Setup > App Manager > your app > ▾ > View > Manage Consumer Details (External Client App: Settings > OAuth Settings > Consumer Key and Secret).',
      'Paste it into clientId (or SF_CLIENT_ID) with no spaces or newline.',
      'Check that the token URL is the org where the app lives (sandbox: test.salesforce.com).',
      PROPAGATION,
    ],
    confidence: 'high',
    recognise: { wording: ['client identifier invalid'], error: ['invalid_client_id'], description: [/client identifier invalid/i] },
    wizardStep: 2,
    propagates: true,
  },
  {
    code: 'user_not_assigned',
    title: 'The user is not assigned to the admin-approved app',
    summary:
      "Salesforce answered invalid_app_access: user is not admin approved to access this app. The app's policy is \"Admin approved users are pre-authorized\", but this user's profile and permission sets are not among the app's.",
    causes: [
      "The user's profile or permission set is not added to the app (Manage Profiles / Manage Permission Sets).",
      'API Access Control is on and the app is not allowlisted.',
    ],
    fix: [
      `Setup > App Manager > your app > ▾ > Manage > Manage Profiles (or Manage Permission Sets) > add the user's (${ECA_POLICIES} > Select Profiles / Permission Sets).`,
      'If the org uses API Access Control: allowlist the app (Setup > Connected Apps OAuth Usage).',
      PROPAGATION,
    ],
    confidence: 'medium',
    recognise: { wording: ['user is not admin approved to access this app'], error: ['invalid_app_access'], description: [/not admin approved to access this app/i] },
    wizardStep: 2,
    propagates: true,
  },
  {
    code: 'scope_missing',
    title: 'The app lacks the refresh_token / offline_access scope, or is not pre-authorized',
    summary:
      'Salesforce answered invalid_request: refresh_token scope is required and the connected app should be installed and preauthorized.',
    causes: [
      'The app\'s selected OAuth scopes lack "Perform requests at any time (refresh_token, offline_access)".',
      'The app is not installed or not pre-authorized for the user.',
    ],
    fix: [
      `Setup > App Manager > your app > Edit > Selected OAuth Scopes: add ${SCOPE_API} and "Perform requests at any time (refresh_token, offline_access)". Save (${ECA_SCOPES}).`,
      ...PRE_AUTHORIZE_STEPS,
      PROPAGATION,
    ],
    confidence: 'medium',
    recognise: { wording: ['refresh_token scope is required and the connected app should be installed and preauthorized'], error: ['invalid_request'], description: [/refresh_token scope is required/i, /refresh[ -]token scope is required/i] },
    wizardStep: 2,
    propagates: true,
  },
  {
    code: 'app_not_installed',
    title: 'The app is not installed in this org',
    summary:
      'Salesforce answered that the app is not installed in this org: "app must be installed into org" for a Connected App (since September 2025, uninstalled Connected Apps are blocked for new users), "External client app is not installed in this org" for an External Client App.',
    causes: [
      'The Connected App is not installed in this org and the user lacks "Approve Uninstalled Connected Apps".',
      'An API-only integration user connects to an app that was never explicitly installed.',
      'An External Client App was called through login.salesforce.com or test.salesforce.com instead of its My Domain (the likely reading: Salesforce documents this answer poorly).',
      'The External Client App was created in another org.',
    ],
    fix: [
      'Connected App: ask a System Administrator to install it (Setup > Connected Apps OAuth Usage > your app > Install). The other way out is the permission "Approve Uninstalled Connected Apps": of the standard profiles only System Administrator has it, and an admin can grant it to the user with a permission set.',
      'Connected App: then set the policy: Manage App Policies > Permitted Users "Admin approved users are pre-authorized", and add the user\'s profile or permission set.',
      'External Client App: use the My Domain as token host and audience (tokenUrl https://YOURDOMAIN.my.salesforce.com/services/oauth2/token), and create the app in this org with Distribution State "Local".',
    ],
    confidence: 'high',
    // The error value that comes with the External Client App text varies (facts sheet): the descriptions alone decide.
    recognise: {
      wording: ['app must be installed into org', 'External client app is not installed in this org'],
      description: [/app must be installed/i, /app\+must\+be\+installed/i, /external client app (?:is )?not installed/i],
      text: [/OAUTH_APPROVAL_ERROR_GENERIC/i],
    },
    variants: [
      {
        // The browser page's code alone: its URL (error_description=app+must+be+installed+into+org) is what
        // settles the reading, and was not pasted.
        when: /^(?![\s\S]*app[+ ]must[+ ]be[+ ]installed)[\s\S]*OAUTH_APPROVAL_ERROR_GENERIC/i,
        first: /Connected App/,
        summary:
          'OAUTH_APPROVAL_ERROR_GENERIC is a browser page (an authorize or login flow), not an answer of the token endpoint. Most likely the Connected App must first be installed in the org: that is certain when the page\'s address holds app+must+be+installed+into+org (error=invalid_client).',
        confidence: 'medium',
      },
      {
        when: /external client app (?:is )?not installed/i,
        first: /External Client App/,
        summary:
          'Salesforce answered that the External client app is not installed in this org. Salesforce documents this answer poorly: the causes below are the likely reading.',
        confidence: 'medium',
      },
    ],
    wizardStep: 2,
  },
  {
    code: 'user_inactive',
    title: 'The user is inactive or frozen',
    summary: 'Salesforce answered inactive_user: user is inactive.',
    causes: ['The user was deactivated.', 'The user is frozen.'],
    fix: [
      'Setup > Users > the user > Edit: tick Active (or Unfreeze on the user detail page).',
      'Or use another, active user (a dedicated integration user is best).',
    ],
    confidence: 'low',
    recognise: { wording: ['user is inactive'], error: ['inactive_user'], description: [/user is inactive/i] },
    wizardStep: 3,
  },
  {
    code: 'org_inactive',
    title: 'The org is locked, closed or suspended',
    summary: 'Salesforce answered inactive_org: organization is locked, closed, or suspended.',
    causes: ['A trial or scratch org expired.', 'The org was locked or suspended by Salesforce or your company.'],
    fix: ['Check the org in a browser; a new scratch org or trial may be needed.', 'Contact your Salesforce admin or Salesforce Support.'],
    confidence: 'low',
    recognise: { wording: ['organization is locked, closed, or suspended'], error: ['inactive_org'], description: [/organization is locked, closed, or suspended/i, /\b(org|organization) is (locked|closed|suspended)/i] },
  },
  {
    code: 'rate_limited',
    title: 'Too many logins for this user',
    summary: 'Salesforce answered rate_limit_exceeded: number of logins exceeded (about 3,600 logins per user per hour).',
    causes: ['A new token is requested for every API call instead of reusing it.'],
    fix: [
      'Reuse the access token until it expires (it lasts the session timeout, usually 2 hours).',
      'Wait up to an hour for the counter to fall.',
    ],
    confidence: 'medium',
    recognise: { wording: ['number of logins exceeded'], error: ['rate_limit_exceeded'], description: [/number of logins exceeded/i] },
  },
  {
    code: 'unsupported_grant_type',
    title: 'The token request was not a form POST of the JWT grant',
    summary: 'Salesforce answered unsupported_grant_type: grant type not supported.',
    causes: [
      'The body was not application/x-www-form-urlencoded, or GET was used instead of POST.',
      'http:// instead of https://, or the wrong host.',
      'A proxy or a redirect (http:// to https://) turned the POST into a GET on the way.',
    ],
    fix: [
      'POST grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT> as a form to https://<host>/services/oauth2/token.',
      'Check tokenUrl in your config: https://, and the host of your org (login.salesforce.com, test.salesforce.com or your My Domain).',
      'Behind a proxy that rewrites requests: have it pass POSTs to /services/oauth2/token unchanged.',
    ],
    confidence: 'high',
    recognise: { wording: ['grant type not supported'], error: ['unsupported_grant_type'], description: [/grant type not supported/i] },
    wizardStep: 3,
  },
  {
    code: 'refresh_token_expired',
    title: 'A refresh token expired or was revoked (not the JWT Bearer Flow)',
    summary:
      'Salesforce answered invalid_grant: expired access/refresh token. That answer belongs to the refresh-token flow: the JWT Bearer Flow never uses a refresh token, so whatever sent this request used a stored one.',
    causes: [
      "The refresh token expired under the app's Refresh Token Policy, or an admin revoked it.",
      'The user has too many grants for the app (Salesforce keeps about five per user and app, and revokes the oldest).',
      'The integration keeps a refresh token from a browser login instead of signing a new assertion each time.',
    ],
    fix: [
      'Get a new access token with the JWT Bearer Flow instead: `sf-setup test` shows whether yours works.',
      'If the integration must keep refresh tokens: App Manager > your app > Manage > Edit Policies > Refresh Token Policy.',
    ],
    confidence: 'medium',
    recognise: { error: ['invalid_grant'], description: [/expired access\/refresh token/i] },
  },
  {
    // Must stay after every specific invalid_grant entry: it is the catch-all for that error.
    code: 'invalid_grant',
    title: 'Salesforce refused the JWT (invalid_grant)',
    summary: 'Salesforce answered invalid_grant without a more specific reason sf-setup recognises.',
    causes: [
      'Wrong username (a sandbox username ends in .sandboxname).',
      'Certificate mismatch: the uploaded certificate is not the one made from this key.',
      'The user is not pre-approved for the app.',
      "This machine's IP address is outside the user's profile Login IP Ranges, or the login is outside its Login Hours.",
      'The aud does not match the token host (sandbox, production, My Domain), or the clock is behind and the assertion arrives expired.',
    ],
    fix: [
      'Run `sf-setup doctor`: it checks the key pair, the audience, the clock and the token request, and names the cause it finds.',
      'Verify username in .sfconnect.json.',
      `Re-upload the certificate to the app (Use digital signatures; ${ECA_UPLOAD}).`,
      `Pre-approve users: Manage > Edit Policies > "Admin approved users are pre-authorized", then Manage Profiles / Permission Sets (${ECA_POLICIES}).`,
      "Check the user's profile: Login IP Ranges (every address the tool runs from) and Login Hours.",
    ],
    confidence: 'medium',
    recognise: { error: ['invalid_grant'] },
  },

  {
    // An OAuth error this knowledge base does not know: shown with Salesforce's own words.
    code: 'oauth_error',
    title: 'Salesforce refused the token request',
    summary: 'Salesforce answered with an OAuth error sf-setup does not have an entry for; its own words are shown above.',
    causes: ['See the error and description Salesforce gave.'],
    fix: ['Run `sf-setup doctor` to check everything local.', 'Search the exact error_description in Salesforce Help, or attach `sf-setup doctor --report report.md` to a support ticket.'],
    confidence: 'low',
  },

  // ---------------------------------------------------------------- after the token: API access
  {
    code: 'api_scope_missing',
    title: 'The token works but the REST API refuses it (api scope missing)',
    summary: 'A token was issued, but REST calls answer 401 INVALID_SESSION_ID: the app does not grant the api scope.',
    causes: ['The app\'s selected OAuth scopes lack "Manage user data via APIs (api)".', 'The user lacks "API Enabled".'],
    fix: [
      `Setup > App Manager > your app > Edit > Selected OAuth Scopes: add ${SCOPE_API}. Save (${ECA_SCOPES}).`,
      PROPAGATION,
    ],
    confidence: 'high',
    wizardStep: 2,
    propagates: true,
  },
  {
    code: 'session_invalid',
    title: 'The API no longer accepts this access token (INVALID_SESSION_ID)',
    summary:
      'A REST call answered 401 INVALID_SESSION_ID: Session expired or invalid. Which cause depends on when: a token that worked earlier has expired; a token refused on its very first call means the app lacks the api scope.',
    causes: [
      "The access token expired (the org's or the app's session timeout) or was revoked (logout, password reset, an admin).",
      'Right after a new token: the app\'s selected OAuth scopes lack "Manage user data via APIs (api)".',
      'The token was sent to another org or host than the instance_url Salesforce returned with it.',
    ],
    fix: [
      'Request a new token with the JWT Bearer Flow: sign a new assertion each time one is needed (`sf-setup test` tries it).',
      'If `sf-setup test` gets a token but its API check fails too: add the api scope (App Manager > your app > Edit > Selected OAuth Scopes).',
      'Send API calls to the instance_url returned with the token.',
    ],
    confidence: 'medium',
    recognise: { text: [/INVALID_SESSION_ID/, /session expired or invalid/i] },
  },
  {
    code: 'api_disabled',
    title: 'The REST API is turned off for this org or user',
    summary:
      'A REST call answered API_DISABLED_FOR_ORG (API is not enabled for this Organization or Partner): the org itself does not allow API access, so no app or key setting can help.',
    causes: [
      "The org's edition has no API access (Professional or Group Edition without the API add-on, Essentials).",
      'The user\'s profile and permission sets lack "API Enabled" (API_CURRENTLY_DISABLED: API is disabled for this User).',
    ],
    fix: [
      'Use an org whose edition includes the API (Enterprise, Unlimited, Performance, Developer), or ask your account executive about the API add-on.',
      'For API_CURRENTLY_DISABLED: give the user "API Enabled" through its profile or a permission set.',
    ],
    confidence: 'medium',
    recognise: { text: [/API_DISABLED_FOR_ORG/, /API is not enabled for this Organization/i, /API_CURRENTLY_DISABLED/, /API is disabled for this User/i] },
    variants: [
      {
        when: /API_CURRENTLY_DISABLED|API is disabled for this User/i,
        first: /API Enabled/,
        summary: 'A REST call answered API_CURRENTLY_DISABLED (API is disabled for this User): the user may not use the API.',
        confidence: 'high',
      },
    ],
    wizardStep: 2,
  },
  {
    code: 'api_version_unsupported',
    title: 'The configured API version is newer than the org supports',
    summary: "apiVersion names a version the org's /services/data/ does not list.",
    causes: ['apiVersion is mistyped or newer than the org (orgs get new versions three times a year).'],
    fix: ['Set apiVersion to the newest version the org lists (sf-setup names it), e.g. "v62.0".'],
    confidence: 'high',
    wizardStep: 3,
  },

  // ---------------------------------------------------------------- network
  {
    code: 'dns_failure',
    title: 'The token host name does not resolve',
    summary: 'The DNS lookup of the token URL\'s host failed.',
    causes: ['A typo in tokenUrl (or the My Domain name).', 'No network, or a DNS server that cannot resolve public names (VPN, corporate DNS).', 'HTTPS_PROXY names a proxy host that does not resolve.'],
    fix: [
      'Check tokenUrl: production https://login.salesforce.com/services/oauth2/token, sandbox https://test.salesforce.com/services/oauth2/token.',
      'Check this machine can resolve the host (`nslookup login.salesforce.com`).',
      'Behind a proxy: check the host name in HTTPS_PROXY (or unset it if this network needs no proxy).',
    ],
    confidence: 'high',
    recognise: { text: [/\bENOTFOUND\b/, /\bEAI_AGAIN\b/, /getaddrinfo/i, /could not resolve host/i, /curl: \(6\)/] },
    variants: [{ when: /the proxy .* could not be reached/, first: /proxy|HTTPS_PROXY/, summary: 'The proxy named in HTTPS_PROXY (or HTTP_PROXY) could not be found: its host name does not resolve.' }],
    wizardStep: 3,
  },
  {
    code: 'network_unreachable',
    title: 'The token host could not be reached',
    summary: 'The connection to the token host was refused, reset or has no route.',
    causes: ['A firewall or proxy blocks the connection (set HTTPS_PROXY if your network needs one).', 'No network connection.', 'The host or port in tokenUrl is wrong.'],
    fix: ['Check the host and port of tokenUrl (production https://login.salesforce.com/services/oauth2/token, sandbox https://test.salesforce.com/services/oauth2/token, or your My Domain).', 'Check this machine reaches it: `curl -sI https://login.salesforce.com` (or your host).', 'Behind a proxy: export HTTPS_PROXY=http://proxy.example.com:8080 (and NO_PROXY for hosts that bypass it).'],
    confidence: 'high',
    recognise: { text: [/\bECONNREFUSED\b/, /\bECONNRESET\b/, /\bEHOSTUNREACH\b/, /\bENETUNREACH\b/, /socket hang up/i, /connection refused/i, /failed to connect/i, /curl: \(7\)/] },
    variants: [
      { when: /the proxy .* could not be reached/, first: /proxy/i, summary: 'The proxy named in HTTPS_PROXY (or HTTP_PROXY) could not be reached, so nothing was sent to Salesforce.' },
      {
        // Refused: a host answered, and nothing listens on that port (or a firewall rejects it): not "no network".
        when: /ECONNREFUSED|connection refused/i,
        first: /host or port|firewall/,
        summary: 'The connection was refused: the host answered, but nothing accepts connections on that port (or a firewall rejects them).',
      },
    ],
  },
  {
    code: 'proxy_refused',
    title: 'The proxy refused to pass the request on',
    summary: 'The proxy named in HTTPS_PROXY (or HTTP_PROXY) answered, but would not open a tunnel to Salesforce: nothing reached Salesforce.',
    causes: [
      'The proxy needs a user name and password (407), or the ones given are wrong.',
      "The proxy's rules block this host (403): Salesforce is not on its allowlist.",
    ],
    fix: [
      'A proxy that asks for a password (407): give it in the URL, HTTPS_PROXY=http://USER:PASSWORD@proxy.example.com:8080 (percent-encode @, : and / in them).',
      'A proxy that refuses the host (403): ask its owners to allow login.salesforce.com, test.salesforce.com and *.my.salesforce.com on port 443.',
      'Check with curl: `curl -x "$HTTPS_PROXY" -sI https://login.salesforce.com`.',
    ],
    confidence: 'high',
    recognise: { text: [/\b407 Proxy Authentication Required\b/i, /proxy.{0,40}\b(?:407|403)\b/i] },
    variants: [{ when: /\(HTTP 403\)|\b403\b/, first: /403/ }],
  },
  {
    code: 'timeout',
    title: 'The token host did not answer in time',
    summary: 'The request timed out.',
    causes: ['A slow or blocked network path; a proxy that swallows the connection.', 'Salesforce is slow or in maintenance.'],
    fix: [
      'Try again; raise the limit with --timeout SECONDS.',
      'Behind a proxy: set HTTPS_PROXY; if it is set, check that it names a working proxy: `curl -x "$HTTPS_PROXY" -sI https://login.salesforce.com`.',
      'Check https://status.salesforce.com for your instance.',
    ],
    confidence: 'high',
    recognise: { text: [/\bETIMEDOUT\b/, /timed? ?out/i] },
    variants: [
      {
        when: /the proxy .* did not open a tunnel/,
        first: /proxy/i,
        summary: 'The proxy named in HTTPS_PROXY (or HTTP_PROXY) did not pass the request on in time (it did not answer, or could not be reached): nothing reached Salesforce.',
      },
    ],
  },
  {
    code: 'slow_response',
    title: 'The token host answered, but slowly',
    summary: 'The token request worked but took more than 3 seconds: Salesforce usually answers in well under one. Scripts with short timeouts, and CI jobs that mint tokens often, will feel it.',
    causes: ['A slow network path, VPN or proxy between this machine and Salesforce.', 'Salesforce itself is slow (an incident or maintenance on the instance).'],
    fix: ['Run `sf-setup doctor` again to see whether it lasts.', 'Check https://status.salesforce.com for your instance.', 'Behind a proxy: compare with a run from outside it.'],
    confidence: 'medium',
  },
  {
    code: 'tls_untrusted',
    title: "The token host's TLS certificate is not trusted",
    summary: 'The TLS connection failed certificate verification: usually a corporate proxy re-signing HTTPS traffic with its own CA.',
    causes: ['A TLS-inspecting proxy or antivirus re-signs traffic with a CA Node.js does not know.', 'The host is not the one intended.'],
    fix: [
      "Get your company's root CA certificate (PEM) from IT.",
      'export NODE_EXTRA_CA_CERTS=/path/to/company-ca.pem and run again.',
      'Never disable certificate checks (NODE_TLS_REJECT_UNAUTHORIZED=0): the assertion would go to whoever intercepts it.',
    ],
    confidence: 'high',
    recognise: { text: [/SELF_SIGNED_CERT/, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/, /UNABLE_TO_GET_ISSUER_CERT/, /CERT_HAS_EXPIRED/, /ERR_TLS_CERT_ALTNAME_INVALID/, /self[- ]signed certificate/i, /unable to get local issuer certificate/i, /SSL certificate problem/i, /curl: \(60\)/] },
  },
  {
    code: 'unexpected_response',
    title: 'The token host answered with something that is not a Salesforce token answer',
    summary: 'The answer was not the JSON Salesforce sends (an HTML page, a redirect, or another shape).',
    causes: [
      'The org is in maintenance (Salesforce shows an HTML "Maintenance" / "Data Not Available" page).',
      'The URL is wrong (it points at a login page, a proxy, or a non-Salesforce host).',
      'A proxy or captive portal answered instead of Salesforce.',
    ],
    fix: [
      'Check tokenUrl ends in /services/oauth2/token on the right host.',
      'Check https://status.salesforce.com and try again later.',
      'Behind a proxy that asks for credentials: put them in HTTPS_PROXY (http://user:password@proxy.example.com:8080).',
    ],
    confidence: 'medium',
    recognise: { text: [/<html/i, /maintenance/i, /data not available/i] },
    // The answer itself often says which: a proxy asking for credentials, a redirect, a page.
    variants: [
      // Facts sheet: the maintenance / "Data Not Available" page is a high-confidence reading.
      { when: /maintenance|data not available/i, first: /maintenance|status\.salesforce/, confidence: 'high' },
      { when: /\b407\b|proxy authentication/i, first: /^A proxy|proxy that asks/, summary: 'A proxy answered 407 Proxy Authentication Required instead of passing the request on.' },
      { when: /\b30[12378]\b|redirect/i, first: /URL is wrong|tokenUrl/ },
      { when: /HTML|login page/i, first: /URL is wrong|tokenUrl/ },
    ],
  },
  {
    code: 'clock_skew',
    title: "This machine's clock differs from Salesforce's",
    summary: "The local clock and the token host's Date header differ. Assertions live 180 seconds, so a clock more than 180 seconds behind makes every assertion arrive expired, and past about 150 seconds little of their life is left (the doctor fails from there); a clock ahead only makes them live longer.",
    causes: ['The clock is not synchronised (no NTP), common on VMs, containers and laptops after sleep.'],
    fix: ['Enable time synchronisation: `sudo timedatectl set-ntp true` (Linux), Settings > Date & Time > Set automatically (macOS/Windows).'],
    confidence: 'high',
  },

  // ---------------------------------------------------------------- local: config
  {
    code: 'config_missing',
    title: 'No configuration found',
    summary: 'There is no .sfconnect.json here and the SF_* environment variables are not set.',
    causes: ['sf-setup has not been set up in this folder yet, or it runs from another folder.'],
    fix: [
      'Run `npx sf-setup` (the wizard), or `sf-setup config --client-id KEY --username USER`.',
      'In CI: set SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY (and SF_TOKEN_URL for a sandbox).',
      'Or point at the file: --config path/to/.sfconnect.json.',
    ],
    confidence: 'high',
    wizardStep: 3,
  },
  {
    code: 'config_invalid',
    title: 'The configuration is not valid',
    summary: 'A field of .sfconnect.json or an SF_* variable is missing or malformed.',
    causes: ['A typo, a misspelt key, or a value in the wrong form.'],
    fix: ['Correct the field named in the message.', 'Run `sf-setup doctor --offline` to see every problem at once.'],
    confidence: 'high',
    wizardStep: 3,
  },
  {
    code: 'token_url_untrusted',
    title: 'The token URL is not a Salesforce host',
    summary: 'The signed assertion would be handed to a host that is not a Salesforce domain, and it can be used to log in as the user for 3 minutes.',
    causes: ['A typo in tokenUrl, or a proxy / mock URL.'],
    fix: ['Use https://login.salesforce.com/services/oauth2/token (production), https://test.salesforce.com/services/oauth2/token (sandbox) or your https://NAME.my.salesforce.com My Domain.', 'If you really mean that host, pass --allow-untrusted-host.'],
    confidence: 'high',
    wizardStep: 3,
  },
  {
    code: 'environment_mismatch',
    title: 'Sandbox and production settings are mixed',
    summary: 'The username looks like a sandbox username but the token URL is production, or the reverse; or the audience (aud) is for another kind of host than the token URL.',
    causes: [
      'Sandbox usernames end in .sandboxname (user@example.com.uat) and log in through test.salesforce.com or the sandbox My Domain.',
      'A production username sent to test.salesforce.com.',
    ],
    fix: [
      'Sandbox: tokenUrl https://test.salesforce.com/services/oauth2/token and the username with its .sandboxname suffix.',
      'Production: tokenUrl https://login.salesforce.com/services/oauth2/token and the username without suffix.',
    ],
    confidence: 'medium',
    wizardStep: 3,
  },

  {
    code: 'instance_url_login_host',
    title: "instanceUrl is not your org's instance",
    summary: "instanceUrl points at login.salesforce.com or test.salesforce.com (as some setup guides do), or at another org's address. Logins work, but API calls belong on the instance_url Salesforce returns with the token.",
    causes: ['The config copied the token host into instanceUrl.', 'The org moved (a My Domain change, a sandbox refresh) and instanceUrl kept the old address.'],
    fix: ['Set instanceUrl (or SF_INSTANCE_URL) to the instance_url of a token answer (`sf-setup doctor --fix` writes it to the config file), e.g. https://MYDOMAIN.my.salesforce.com.'],
    confidence: 'high',
    wizardStep: 3,
  },
  {
    code: 'runtime_unsupported',
    title: 'This Node.js is too old',
    summary: 'sf-setup needs Node.js 20.12 or newer.',
    causes: ['An old Node.js on the PATH.'],
    fix: ['Install Node.js 20, 22 or 24 (https://nodejs.org or your version manager: `nvm install 22`).'],
    confidence: 'high',
  },

  // ---------------------------------------------------------------- local: key and certificate
  {
    code: 'key_missing',
    title: 'The private key file is missing',
    summary: 'privateKeyPath names a file that does not exist.',
    causes: ['The key was never generated here, or the path is relative to another folder.', 'The key was moved or deleted, and its certificate left behind.'],
    fix: [
      'Generate one: `sf-setup keygen` (then upload certs/server.crt to the app).',
      'Or fix privateKeyPath (relative paths are relative to the config file).',
      'In CI: set SF_PRIVATE_KEY to the key text.',
      'If its certificate is still here, the key that made it is elsewhere or lost: point privateKeyPath at it, or make a new pair with `sf-setup keygen --force` (the old files are backed up) and upload the new certificate.',
    ],
    confidence: 'high',
    wizardStep: 1,
    variants: [{ when: /its certificate .* is still here/, first: /certificate is still here|moved or deleted/ }],
  },
  {
    code: 'key_invalid',
    title: 'The private key cannot be used',
    summary: 'The file is not an RSA private key in PEM form.',
    causes: ['A certificate, public key, EC key or DER file where the PEM RSA private key should be.', 'A CI secret that mangled the PEM.'],
    fix: ['Point privateKeyPath at the RSA private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).', 'Or generate a new pair: `sf-setup keygen --force`, and upload the new certificate.'],
    confidence: 'high',
    // OpenSSL's and the JWT libraries' words for a key file they cannot read (sf CLI, jsonwebtoken, Node).
    recognise: { text: [/PEM routines/i, /no start line/i, /DECODER routines::unsupported/i, /secretOrPrivateKey must be an asymmetric key/i, /error:(?:0909006C|1E08010C)/i] },
    wizardStep: 1,
  },
  {
    code: 'key_encrypted',
    title: 'The private key is encrypted',
    summary: 'The key needs a passphrase and none (or a wrong one) was given.',
    causes: ['The key was made with a passphrase.'],
    fix: ['Set SF_PRIVATE_KEY_PASSPHRASE to the passphrase.', 'Or write an unencrypted copy kept at 0600: `openssl pkey -in enc.key -out certs/server.key`.'],
    confidence: 'high',
    recognise: { text: [/\bbad decrypt\b/i, /passphrase required/i, /ERR_MISSING_PASSPHRASE/] },
    wizardStep: 1,
  },
  {
    code: 'key_permissions',
    title: 'The private key is readable by other users',
    summary: 'The key file is group- or world-readable; anyone on this machine can log in to Salesforce as the user.',
    causes: ['The file was created with a permissive umask or copied.'],
    fix: ['chmod 600 <key file> (or `sf-setup doctor --fix`).'],
    confidence: 'high',
  },
  {
    code: 'key_weak',
    title: 'The RSA key is too short',
    summary: 'The key has fewer than 2048 bits; Salesforce requires 2048 or more.',
    causes: ['An old or hand-made key.'],
    fix: ['Generate a 2048-bit (or larger) key: `sf-setup keygen --force`, then upload the new certificate.'],
    confidence: 'high',
    wizardStep: 1,
  },
  {
    code: 'key_exists',
    title: 'A key already exists there',
    summary: 'sf-setup never overwrites a private key unless told to.',
    causes: ['keygen was run before in this folder.'],
    fix: ['Keep the existing key, or pass --force to replace it (the old files are backed up beside it).'],
    confidence: 'high',
    wizardStep: 1,
  },
  {
    code: 'key_in_git',
    title: 'The private key is committed to git',
    summary: 'The key (or a tracked .env holding key material) is in the repository: anyone with the repository can log in to Salesforce as the user.',
    causes: ['The key was committed before it was git-ignored.'],
    fix: [
      'Treat the key as leaked: generate a new pair (`sf-setup keygen --force`) and upload the new certificate to the app; delete the old certificate from the app.',
      'Stop tracking it: `git rm --cached <key file>` and commit; it stays in history, which is why rotating matters.',
      'Keep keys out of git: `sf-setup doctor --fix` adds them to .gitignore.',
    ],
    confidence: 'high',
  },
  {
    code: 'key_not_ignored',
    title: 'The private key is not git-ignored',
    summary: 'The key is not tracked yet, but nothing stops `git add .` from committing it.',
    causes: ['.gitignore does not cover the key file.'],
    fix: ['Add the key path to .gitignore (`sf-setup doctor --fix` does it).'],
    confidence: 'high',
  },
  {
    code: 'least_privilege',
    title: 'The integration runs as a System Administrator',
    summary: 'The JWT user has the full System Administrator profile: whoever holds the key can do anything in the org.',
    causes: ['A named admin user was used to get started.'],
    fix: [
      'Create a dedicated integration user: license "Salesforce Integration", profile "Minimum Access - API Only Integrations".',
      'Assign the "Salesforce API Integration" permission set license and a permission set with only what the integration needs.',
      'Install the app explicitly (Setup > Connected Apps OAuth Usage > Install) and add that permission set to the app; then switch username.',
    ],
    confidence: 'high',
  },
  {
    code: 'write_failed',
    title: 'A file could not be written',
    summary: 'sf-setup could not write a file (read-only folder, no permission, or a full disk). Nothing was half-written: the old file, if any, is intact.',
    causes: ['The folder is read-only or owned by another user.', 'The disk is full.'],
    fix: ['Run from a folder you can write to, or fix its permissions (`ls -ld <folder>`).', 'Free some disk space (`df -h .`).'],
    confidence: 'high',
  },
  {
    code: 'cert_missing',
    title: 'The certificate file is missing',
    summary: 'No certificate was found next to the key (or at certificatePath).',
    causes: ['Only the key was copied here.', 'certificatePath is wrong.'],
    fix: ['Set certificatePath to the certificate uploaded to the app, or regenerate both: `sf-setup keygen --force`.'],
    confidence: 'high',
    wizardStep: 1,
  },
  {
    code: 'cert_invalid',
    title: 'The certificate cannot be read',
    summary: 'The file is not an X.509 certificate in PEM or DER form.',
    causes: ['A key or another file where the certificate should be.'],
    fix: ['Point certificatePath at the .crt uploaded to the app, or regenerate: `sf-setup keygen --force`.'],
    confidence: 'high',
    wizardStep: 1,
  },
  {
    code: 'cert_not_yet_valid',
    title: 'The certificate is not valid yet',
    summary: "The certificate's validity starts later than this machine's clock says it is now.",
    causes: [
      "The clock of the machine that made it was ahead, or this machine's clock is behind.",
      'It was made with a start date in the future.',
    ],
    fix: [
      'Check this machine\'s clock (`sf-setup doctor` compares it with Salesforce) and the clock of the machine that made the certificate.',
      'Or make a new pair now: `sf-setup rotate` (or `sf-setup keygen --force`), and upload its certificate.',
    ],
    confidence: 'high',
    wizardStep: 1,
  },
  {
    code: 'key_cert_mismatch',
    title: 'The private key does not match the certificate',
    summary: "The certificate's public key is not the private key's: Salesforce will answer invalid assertion (\"invalid signature\" in some guides).",
    causes: ['The key or the certificate was regenerated without the other.', 'certificatePath or privateKeyPath points at another pair.'],
    fix: ['Regenerate the pair: `sf-setup keygen --force`.', `Upload the new certificate: App Manager > your app > Edit > Use digital signatures (${ECA_UPLOAD}).`, 'Update privateKeyPath in the config if it changed.'],
    confidence: 'high',
    wizardStep: 1,
  },
  {
    code: 'certificate_expired',
    title: 'The certificate has expired',
    summary: 'The local certificate is past its notAfter date. Salesforce reportedly keeps accepting an expired certificate, but rotate it before that changes or the app is edited.',
    causes: ['The certificate was made for a fixed number of days (365 by default).'],
    fix: [
      'Rotate: `sf-setup rotate` makes a new key and certificate beside the old ones.',
      `Upload the new certificate: App Manager > your app > Edit > Use digital signatures (${ECA_UPLOAD}).`,
      'Switch the config to the new key once a token test with it passes; keep the old key until then.',
    ],
    confidence: 'high',
    recognise: { text: [/certificate expired/i] },
    wizardStep: 1,
  },
  {
    code: 'certificate_expiring',
    title: 'The certificate expires soon',
    summary: 'The local certificate expires within 30 days.',
    causes: ['Certificates are made for a fixed number of days.'],
    fix: ['Rotate now: `sf-setup rotate`, upload the new certificate, switch when the test passes.'],
    confidence: 'high',
    wizardStep: 1,
  },
];

const byCode = new Map(KNOWLEDGE_BASE.map((entry) => [entry.code, entry]));

/** The entry for a code; throws for an unknown code (a bug, not user input). */
export function entryFor(code: string): KnowledgeEntry {
  const entry = byCode.get(code);
  if (!entry) throw new Error(`knowledge base has no entry for code "${code}"`);
  return entry;
}

/** The items matching a pattern first, the rest after, each group in its own order. */
export function promoteMatching(items: readonly string[], pattern: RegExp): string[] {
  return [...items.filter((item) => pattern.test(item)), ...items.filter((item) => !pattern.test(item))];
}

/** The entry as it reads for these words of Salesforce's (see `variants`); the entry itself when none applies. */
export function entryForWords(entry: KnowledgeEntry, words: string | undefined): KnowledgeEntry {
  const variant = words ? entry.variants?.find((v) => v.when.test(words)) : undefined;
  if (!variant) return entry;
  return {
    ...entry,
    summary: variant.summary ?? entry.summary,
    confidence: variant.confidence ?? entry.confidence,
    causes: promoteMatching(entry.causes, variant.first),
    fix: promoteMatching(entry.fix, variant.first),
  };
}

/** The entry for a code, or undefined. */
export function findEntry(code: string): KnowledgeEntry | undefined {
  return byCode.get(code);
}
