import { maskClientId, maskUsername } from '../config/index.js';
import type { OrgConfig } from '../config/types.js';
import { causesHeading } from '../diagnostics/knowledge-base.js';
import { SYMBOLS } from '../output/style.js';
import type { DoctorReport, DoctorState } from './types.js';

/** Fields shown in the report; the inline key is never among them. */
const SHOWN_FIELDS: (keyof OrgConfig)[] = ['instanceUrl', 'apiVersion', 'authType', 'tokenUrl', 'audience', 'clientId', 'username', 'privateKeyPath', 'certificatePath', 'algorithm', 'egressIps'];

function shown(field: keyof OrgConfig, value: unknown): string {
  if (value === undefined) return '(not set)';
  if (field === 'clientId') return maskClientId(String(value));
  if (field === 'username') return maskUsername(String(value));
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The report's first line: `doctor --report` replaces a file only when it starts so (an earlier report). */
export const REPORT_HEADING = '# sf-setup doctor report';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A Markdown report to attach to a support ticket: versions, every check, the config with each field's
 * source, certificate facts, Salesforce's error bodies and timings. Usernames and consumer keys are partly
 * masked; no key material, token or assertion is ever included (the state holds the token as a Secret).
 */
export function renderReport(report: DoctorReport, state: DoctorState, version: string): string {
  const out: string[] = [];
  const text = renderSections(report, state, version, out);
  return redactIdentities(text, state);
}

/** Mask the username and consumer key wherever they appear (fix steps, URLs, details), raw or URL-encoded. */
function redactIdentities(text: string, state: DoctorState): string {
  let result = text;
  const values = state.config?.values;
  // In a URL to open (the authorize URL), a masked key would make a broken link: a placeholder says what goes there.
  if (values?.clientId) result = result.split(`client_id=${encodeURIComponent(values.clientId)}`).join('client_id=YOUR_CONSUMER_KEY');
  for (const [value, mask] of [
    [values?.clientId, values?.clientId ? maskClientId(values.clientId) : ''],
    [values?.username, values?.username ? maskUsername(values.username) : ''],
  ] as [string | undefined, string][]) {
    if (!value) continue;
    for (const form of new Set([value, encodeURIComponent(value)])) result = result.split(form).join(mask);
  }
  return result;
}

function renderSections(report: DoctorReport, state: DoctorState, version: string, out: string[]): string {
  out.push(REPORT_HEADING, '');
  out.push(`- Generated: ${new Date().toISOString()}`);
  out.push(`- sf-setup ${version}, Node.js ${process.versions.node}, ${process.platform}-${process.arch}`);
  out.push(`- Org: ${report.org ?? '(single-org config)'}; result: ${report.ok ? 'OK' : 'FAILED'} (${report.summary.fail} failed, ${report.summary.warn} warnings, ${report.summary.pass} passed, ${report.summary.skip} skipped)`);
  const proxy = state.env.HTTPS_PROXY || state.env.https_proxy ? 'HTTPS_PROXY set' : 'no proxy variables';
  out.push(`- Network: ${proxy}${state.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set' : ''}`, '');

  out.push('## Checks', '', '| | Check | Result | Code | Time |', '|---|---|---|---|---|');
  for (const c of report.checks) {
    out.push(`| ${SYMBOLS[c.status]} ${c.status} | ${cell(c.title)} | ${cell(c.detail)} | ${c.code ?? ''} | ${c.durationMs ?? 0} ms |`);
  }
  out.push('');

  const problems = report.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  if (problems.length) {
    out.push('## Problems', '');
    for (const c of problems) {
      out.push(`### ${c.title} (${c.code ?? c.status})`, '', c.detail, '');
      if (c.salesforce) {
        out.push('Salesforce answered:', '', '```json', JSON.stringify({ status: c.salesforce.status, error: c.salesforce.error, error_description: c.salesforce.errorDescription, excerpt: c.salesforce.excerpt }, null, 2), '```', '');
      }
      for (const line of c.evidence ?? []) out.push(`- Evidence: ${line}`);
      // The causes, ranked as the doctor showed them: a support engineer reads the report, not the terminal.
      if (c.causes?.length && c.status === 'fail') {
        out.push('', causesHeading(c.hedged ?? false), '');
        for (const cause of c.causes) out.push(`- ${cause}`);
      }
      if (c.fix?.length) {
        out.push('', 'Fix:', '');
        c.fix.forEach((step, i) => out.push(`${i + 1}. ${step}`));
      }
      out.push('');
    }
  }

  if (state.config) {
    out.push('## Configuration', '', `Source file: ${state.config.configPath ?? '(none: environment only)'}`, '', '| Field | Value | Source |', '|---|---|---|');
    for (const field of SHOWN_FIELDS) {
      const value = state.config.values[field];
      if (value === undefined && !state.config.sources[field]) continue;
      out.push(`| ${field} | ${cell(shown(field, value))} | ${state.config.sources[field] ?? ''} |`);
    }
    if (state.config.values.privateKey) out.push(`| privateKey | (inline, from SF_PRIVATE_KEY; not shown) | env |`);
    out.push('');
  }

  if (state.certificate || state.key) {
    out.push('## Key and certificate', '');
    if (state.key) out.push(`- Key: RSA ${state.key.bits} bits, public key SHA-256 ${state.key.publicKeyFingerprint}`);
    if (state.certificate) {
      const c = state.certificate;
      out.push(`- Certificate subject: ${c.subject}`, `- Valid: ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()} (${c.daysLeft} days left)`);
      out.push(`- SHA-256 fingerprint: ${c.fingerprint256}`, `- Signature: ${c.signatureAlgorithm}`);
    }
    if (state.keyMatchesCertificate !== undefined) out.push(`- Key matches certificate: ${state.keyMatchesCertificate ? 'yes' : 'NO'}`);
    out.push('');
  }
  out.push('_No private key, access token or assertion is included in this report._', '');
  return out.join('\n');
}
