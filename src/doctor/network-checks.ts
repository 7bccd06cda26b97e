import { writeConfig } from '../config/index.js';
import { entryFor } from '../diagnostics/knowledge-base.js';
import { EXIT, isUserError } from '../errors.js';
import { getApiVersions, getUserInfo, query, versionNumber } from '../salesforce/api.js';
import { httpRequest, NetworkError } from '../salesforce/http.js';
import { detectPublicIp } from '../salesforce/public-ip.js';
import { requestToken, SalesforceError } from '../salesforce/token.js';
import { finding } from './local-checks.js';
import type { Check, CheckResult, DoctorState } from './types.js';

/** More than this apart is a warning; assertions live 180 s, so past 150 s they arrive nearly expired. */
export const CLOCK_WARN_SECONDS = 60;
export const CLOCK_FAIL_SECONDS = 150;

function networkFailure(error: unknown): CheckResult {
  if (error instanceof NetworkError || error instanceof SalesforceError) {
    return finding('fail', error.code, error.message);
  }
  throw error;
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
      // The Date header has 1 s resolution: compare with the middle of the request.
      state.clockSkewSeconds = Math.round((Date.parse(date) - (started + finished) / 2) / 1000);
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
  async run(state) {
    if (state.clockSkewSeconds === undefined) return { status: 'skip', detail: 'the token host sent no Date header' };
    const skew = state.clockSkewSeconds;
    const direction = skew > 0 ? 'behind' : 'ahead of';
    const text = `this machine's clock is ${Math.abs(skew)} s ${direction} the token host's`;
    if (Math.abs(skew) > CLOCK_FAIL_SECONDS) return finding('fail', 'clock_skew', `${text}: assertions (valid 180 s) will arrive expired or nearly so`);
    if (Math.abs(skew) > CLOCK_WARN_SECONDS) return finding('warn', 'clock_skew', `${text} (more than ${CLOCK_WARN_SECONDS} s)`);
    return { status: 'pass', detail: Math.abs(skew) <= 1 ? 'in sync with the token host' : `${text} (fine)` };
  },
};

/** Rank the entry's causes with what the local checks found, and say why. */
export function rankWithEvidence(state: DoctorState, code: string): { code: string; causes: string[]; evidence: string[]; extraFix: string[] } {
  const evidence: string[] = [];
  const extraFix: string[] = [];
  let finalCode = code;
  // A generic invalid_grant while the key does not match the certificate is almost surely the signature.
  if (code === 'invalid_grant' && state.keyMatchesCertificate === false) finalCode = 'invalid_signature';
  const entry = entryFor(finalCode);
  let causes = [...entry.causes];
  const promote = (match: RegExp, because: string) => {
    const index = causes.findIndex((cause) => match.test(cause));
    if (index > 0) causes = [causes[index], ...causes.slice(0, index), ...causes.slice(index + 1)];
    evidence.push(because);
  };
  const values = state.config?.values;
  if (finalCode === 'invalid_signature') {
    if (state.keyMatchesCertificate === false) {
      evidence.push('Your private key and your local certificate do not match (see "Certificate" above).');
    } else if (state.keyMatchesCertificate === true) {
      evidence.push('Your key matches your local certificate, so the app most likely has another certificate uploaded: upload this one.');
    }
  }
  if (state.certificate && state.certificate.daysLeft < 0) {
    evidence.push(`Your local certificate expired on ${state.certificate.notAfter.toISOString().slice(0, 10)}.`);
  }
  if (state.environmentMismatch && (finalCode === 'audience_invalid' || finalCode === 'user_not_approved' || finalCode === 'invalid_client_id' || finalCode === 'invalid_grant')) {
    promote(/sandbox|production|username is wrong/i, `Sandbox and production are mixed: ${state.environmentMismatch}.`);
  }
  if (finalCode === 'assertion_expired' && state.clockSkewSeconds !== undefined && Math.abs(state.clockSkewSeconds) > CLOCK_WARN_SECONDS) {
    evidence.push(`This machine's clock differs from the token host's by ${Math.abs(state.clockSkewSeconds)} s.`);
  }
  if (finalCode === 'user_not_approved' && values) {
    const origin = new URL(values.tokenUrl).origin;
    const url = `${origin}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(values.clientId)}&redirect_uri=${encodeURIComponent('https://login.salesforce.com/services/oauth2/callback')}`;
    extraFix.push(`Authorize URL (open it logged in as ${values.username}, click Allow): ${url}`);
  }
  if (finalCode === 'ip_restricted') {
    const ips = values?.egressIps ?? [];
    if (ips.length) extraFix.push(`Your config lists these addresses; add each as its own range (start = end): ${ips.join(', ')}.`);
    else if (!state.options.detectIp) extraFix.push('List the addresses in the config ("egressIps": ["203.0.113.7", ...]) so this advice can name them, or run with --detect-ip to learn this machine\'s public address.');
  }
  return { code: finalCode, causes, evidence, extraFix };
}

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
      const ranked = rankWithEvidence(state, error.code);
      if (ranked.code === 'ip_restricted' && state.options.detectIp) {
        const found = await detectPublicIp(state.http);
        ranked.extraFix.push(
          found.ip
            ? `This machine's public address (as ${new URL(found.service).host} sees it) is ${found.ip}: add a range with IP Start Address ${found.ip} and IP End Address ${found.ip}.`
            : `Could not learn this machine's public address from ${found.service}: ${found.problem}.`,
        );
      }
      const entry = entryFor(ranked.code);
      const salesforce = error instanceof SalesforceError
        ? { status: error.status, error: error.classification.error, errorDescription: error.classification.errorDescription, excerpt: error.excerpt }
        : undefined;
      return {
        status: 'fail',
        code: ranked.code,
        detail: error.message,
        causes: ranked.causes,
        evidence: ranked.evidence,
        fix: [...entry.fix, ...ranked.extraFix],
        salesforce,
      };
    }
    const token = state.token;
    const configured = values.instanceUrl.replace(/\/+$/, '');
    const repairs: CheckResult = { status: 'pass', detail: `token issued for ${values.username} (org ${token.orgId ?? '?'}, instance ${token.instanceUrl}) in ${token.timings.totalMs} ms` };
    if (configured !== token.instanceUrl) {
      state.suggestedInstanceUrl = token.instanceUrl;
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
      return { ...repairs, status: 'warn', code: 'instance_url_login_host', detail: `${repairs.detail}; the config says instanceUrl ${configured}`, fix: entryFor('instance_url_login_host').fix };
    }
    return repairs;
  },
};

export const apiCheck: Check = {
  id: 'api',
  title: 'API access with the token',
  dependsOn: ['token'],
  network: true,
  async run(state) {
    const token = state.token!;
    const apiVersion = state.config!.values.apiVersion;
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
      await query(token.instanceUrl, apiVersion, 'SELECT Id FROM Organization', token.accessToken, state.http);
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
    const token = state.token!;
    if (!token.userId) return { status: 'skip', detail: 'the token answer did not name the user id' };
    try {
      const [record] = await query(token.instanceUrl, state.config!.values.apiVersion, `SELECT Profile.Name FROM User WHERE Id = '${token.userId.replace(/[^A-Za-z0-9]/g, '')}'`, token.accessToken, state.http);
      const profile = (record?.Profile as { Name?: string } | undefined)?.Name;
      if (!profile) return { status: 'skip', detail: "could not read the user's profile" };
      if (/^System Administrator$/i.test(profile)) return finding('warn', 'least_privilege', 'the user has the System Administrator profile');
      return { status: 'pass', detail: `profile "${profile}"` };
    } catch {
      // Reading the profile needs permissions a least-privilege user may lack: that is not a problem.
      return { status: 'skip', detail: "could not read the user's profile (a restricted user may not see it)" };
    }
  },
};
