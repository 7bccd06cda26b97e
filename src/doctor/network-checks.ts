import { staleInstanceUrl, writeConfig } from '../config/index.js';
import { entryFor } from '../diagnostics/knowledge-base.js';
import { CLOCK_FAIL_SECONDS, CLOCK_WARN_SECONDS, rankCauses, type LocalEvidence } from '../diagnostics/rank.js';
import { EXIT, isUserError } from '../errors.js';
import { getApiVersions, getUserInfo, query, versionNumber } from '../salesforce/api.js';
import { httpRequest, NetworkError } from '../salesforce/http.js';
import { detectPublicIp } from '../salesforce/public-ip.js';
import { requestToken, SalesforceError } from '../salesforce/token.js';
import { finding, fromUserError, relative } from './local-checks.js';
import type { Check, CheckResult, DoctorState } from './types.js';

function networkFailure(error: unknown): CheckResult {
  if (error instanceof NetworkError || error instanceof SalesforceError) {
    return finding('fail', error.code, error.message);
  }
  // A setting the request cannot use (a proxy variable that is not a URL): the user's to fix, not a bug.
  return fromUserError(error, 'config_invalid');
}

/**
 * How far this clock is behind (+) or ahead (-) of the host's, as far as one request can tell. The host
 * stamped its Date header at some moment between `started` and `finished`, cut down to the whole second, so
 * its clock minus ours lies between date - finished and date + 1 s - started: the least offset in that range
 * is the one reported (0 when it holds 0). A slow answer (5 s) used to read as a clock 2 s behind.
 */
export function clockOffsetSeconds(dateMs: number, started: number, finished: number): number {
  const least = dateMs - finished;
  const most = dateMs + 1000 - started;
  if (least > 0) return Math.round(least / 1000);
  if (most < 0) return Math.round(most / 1000);
  return 0;
}

export const networkCheck: Check = {
  id: 'network',
  title: 'Network to the token host',
  dependsOn: ['config'],
  network: true,
  async run(state) {
    const tokenUrl = state.config!.values.tokenUrl;
    // Any HTTP answer proves DNS, TCP and TLS work; a GET of the token endpoint is refused harmlessly.
    const started = Date.now();
    let response;
    try {
      response = await httpRequest({ method: 'GET', url: tokenUrl }, state.http);
    } catch (error) {
      return networkFailure(error);
    }
    const finished = Date.now();
    const date = response.headers.date;
    if (typeof date === 'string' && !Number.isNaN(Date.parse(date))) {
      state.serverDate = new Date(Date.parse(date));
      state.clockSkewSeconds = clockOffsetSeconds(Date.parse(date), started, finished);
      state.clockWindowSeconds = Math.ceil((finished - started) / 1000) + 1;
    }
    const t = response.timings;
    const parts = [
      t.dnsMs !== undefined ? `DNS ${t.dnsMs} ms` : undefined,
      t.connectMs !== undefined ? `connect ${t.connectMs} ms` : undefined,
      t.tlsMs !== undefined ? `TLS ${t.tlsMs} ms` : undefined,
      `total ${t.totalMs} ms`,
    ].filter(Boolean);
    const proxy = response.proxy ? `, through proxy ${response.proxy}` : '';
    return { status: 'pass', detail: `${new URL(tokenUrl).host} answered (${parts.join(', ')}${proxy})` };
  },
};

export const clockCheck: Check = {
  id: 'clock',
  title: 'Clock',
  dependsOn: ['network'],
  network: true,
  sendsNothing: true,
  async run(state) {
    if (state.clockSkewSeconds === undefined) return { status: 'skip', detail: 'the token host sent no Date header' };
    const skew = state.clockSkewSeconds;
    const direction = skew > 0 ? 'behind' : 'ahead of';
    const text = `this machine's clock is ${Math.abs(skew)} s ${direction} the token host's`;
    // Behind, the assertion's exp (now + 180 s) is already near or past by Salesforce's clock. Ahead, exp is
    // later than meant, which Salesforce accepts (the facts sheet: only an exp in the past fails): a warning.
    if (skew > CLOCK_FAIL_SECONDS) return finding('fail', 'clock_skew', `${text}: assertions (valid 180 s) will arrive expired or nearly so`);
    if (skew > CLOCK_WARN_SECONDS) return finding('warn', 'clock_skew', `${text} (more than ${CLOCK_WARN_SECONDS} s): assertions arrive with less of their 180 s left`);
    if (skew < -CLOCK_WARN_SECONDS) return finding('warn', 'clock_skew', `${text}: Salesforce accepts the assertions (their exp is just later), but other services and logs will not agree with this clock`);
    // A slow answer widens what one request can tell: say how close, rather than "in sync".
    const window = state.clockWindowSeconds ?? 1;
    const inSync = window > 2 ? `within ${window} s of the token host (its answer took that long, so one request cannot tell closer)` : 'in sync with the token host';
    return { status: 'pass', detail: Math.abs(skew) <= 1 ? inSync : `${text} (fine)` };
  },
};

/** The local evidence the checks before the token request found, for the shared ranking rules. */
export function doctorEvidence(state: DoctorState): LocalEvidence {
  const values = state.config?.values;
  return {
    certificateFile: values?.certificatePath ? relative(state.cwd, values.certificatePath) : undefined,
    keyMatchesCertificate: state.keyMatchesCertificate,
    certificateExpiredOn: state.certificate && state.certificate.daysLeft < 0 ? state.certificate.notAfter : undefined,
    environmentMismatch: state.environmentMismatch,
    clockSkewSeconds: state.clockSkewSeconds,
    tokenUrl: values?.tokenUrl,
    clientId: values?.clientId,
    username: values?.username,
    egressIps: values?.egressIps,
    detectsIp: state.options.detectIp,
    audienceDerived: state.config?.sources.audience === 'default',
  };
}

/** A token request slower than this works, but is worth a warning. */
const SLOW_TOKEN_MS = 3000;

export const tokenCheck: Check = {
  id: 'token',
  title: 'Token request (JWT Bearer Flow)',
  // Not on 'key': a key that loads but is world-readable still gets its token test.
  dependsOn: ['config', 'network'],
  network: true,
  async run(state) {
    const values = state.config!.values;
    if (!state.key) return { status: 'skip', detail: 'skipped: needs a usable private key' };
    try {
      state.token = await requestToken(
        { tokenUrl: values.tokenUrl, clientId: values.clientId, username: values.username, audience: values.audience, privateKey: state.key!.keyObject },
        state.http,
      );
    } catch (error) {
      if (!(error instanceof SalesforceError) && !(error instanceof NetworkError)) throw error;
      const ranked = rankCauses(error.code, doctorEvidence(state), error instanceof SalesforceError ? error.classification.entry : undefined);
      // Inside the doctor, "run `sf-setup doctor`" is what is happening.
      const fix = ranked.fix.filter((step) => !step.startsWith('Run `sf-setup doctor`'));
      if (ranked.code === 'ip_restricted' && state.options.detectIp) {
        const found = await detectPublicIp(state.http);
        fix.push(
          found.ip
            ? `This machine's public address (as ${new URL(found.service).host} sees it) is ${found.ip}: add a range with IP Start Address ${found.ip} and IP End Address ${found.ip}.`
            : `Could not learn this machine's public address from ${found.service}: ${found.problem}.`,
        );
      }
      const salesforce = error instanceof SalesforceError
        ? { status: error.status, error: error.classification.error, errorDescription: error.classification.errorDescription, excerpt: error.excerpt }
        : undefined;
      return {
        status: 'fail',
        code: ranked.code,
        detail: error.message,
        causes: ranked.causes,
        hedged: ranked.hedged,
        evidence: ranked.evidence,
        fix,
        salesforce,
      };
    }
    const token = state.token;
    const repairs: CheckResult = { status: 'pass', detail: `token issued for ${values.username} (org ${token.orgId ?? '?'}, instance ${token.instanceUrl}) in ${token.timings.totalMs} ms` };
    const stale = staleInstanceUrl(state.config!, token.instanceUrl);
    if (stale) {
      const configPath = state.config!.configPath;
      if (configPath && state.config!.sources.instanceUrl === 'file') {
        repairs.repair = {
          description: `set instanceUrl to ${token.instanceUrl} in ${configPath}`,
          apply: async () => {
            await writeConfig(configPath, { org: state.config!.org ?? undefined, values: { instanceUrl: token.instanceUrl } });
            return `instanceUrl is now ${token.instanceUrl}`;
          },
        };
      }
      return { ...repairs, status: 'warn', code: 'instance_url_login_host', detail: `${repairs.detail}; ${stale.setting} is ${stale.configured}`, fix: entryFor('instance_url_login_host').fix };
    }
    if (token.timings.totalMs > SLOW_TOKEN_MS) return finding('warn', 'slow_response', `${repairs.detail}: slow (Salesforce usually answers in under a second)`);
    return repairs;
  },
};

/** The user's profile name, asked for with the API check's requests (one round trip, not two, on a slow org). */
async function askProfile(state: DoctorState): Promise<{ name?: string; failed?: true }> {
  const token = state.token!;
  if (!token.userId) return {};
  try {
    const [record] = await query(token.instanceUrl, state.config!.values.apiVersion, `SELECT Profile.Name FROM User WHERE Id = '${token.userId.replace(/[^A-Za-z0-9]/g, '')}'`, token.accessToken, state.http);
    return { name: (record?.Profile as { Name?: string } | undefined)?.Name };
  } catch {
    return { failed: true };
  }
}

export const apiCheck: Check = {
  id: 'api',
  title: 'API access with the token',
  dependsOn: ['token'],
  network: true,
  async run(state) {
    const token = state.token!;
    const apiVersion = state.config!.values.apiVersion;
    // Every API request goes out at once: against an org that takes 5 s an answer, one round trip, not four.
    // The profile's answer waits for the least-privilege check (a failure there is that check's to judge).
    state.profile = askProfile(state);
    const organization = query(token.instanceUrl, apiVersion, 'SELECT Id FROM Organization', token.accessToken, state.http);
    organization.catch(() => undefined); // judged below, after the version list; never an unhandled rejection
    try {
      const [user, versions] = await Promise.all([getUserInfo(token.instanceUrl, token.accessToken, state.http), getApiVersions(token.instanceUrl, state.http)]);
      const latest = versions.at(-1);
      if (latest && !versions.some((v) => `v${v.version}` === apiVersion)) {
        const newer = versionNumber(apiVersion) > Number(latest.version);
        return finding('fail', 'api_version_unsupported', `apiVersion ${apiVersion} is ${newer ? 'newer than this org supports' : 'not listed by this org'}; its newest is v${latest.version}`, {
          fix: [`Set "apiVersion": "v${latest.version}" in the config (or SF_API_VERSION).`],
        });
      }
      // userinfo proves the token; a REST call proves the api scope (userinfo works without it).
      await organization;
      return { status: 'pass', detail: `logged in as ${user.username ?? '?'}; ${apiVersion} available (org's newest: v${latest?.version ?? '?'})` };
    } catch (error) {
      if (error instanceof SalesforceError || error instanceof NetworkError) return finding('fail', error.code, error.message);
      if (isUserError(error) && error.exitCode === EXIT.failed) return finding('fail', error.code, error.message);
      throw error;
    }
  },
};

export const privilegeCheck: Check = {
  id: 'privilege',
  title: 'Least privilege',
  dependsOn: ['api'],
  network: true,
  async run(state) {
    if (!state.token!.userId) return { status: 'skip', detail: 'the token answer did not name the user id' };
    const profile = await (state.profile ?? askProfile(state));
    // Reading the profile needs permissions a least-privilege user may lack: that is not a problem.
    if (profile.failed) return { status: 'skip', detail: "could not read the user's profile (a restricted user may not see it)" };
    if (!profile.name) return { status: 'skip', detail: "could not read the user's profile" };
    if (/^System Administrator$/i.test(profile.name)) return finding('warn', 'least_privilege', 'the user has the System Administrator profile');
    return { status: 'pass', detail: `profile "${profile.name}"` };
  },
};
