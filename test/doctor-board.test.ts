import { createPrivateKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderBoard } from '../src/doctor/board.js';
import type { DoctorReport } from '../src/doctor/types.js';
import { createSelfSignedCertificate, DEFAULT_SUBJECT } from '../src/keys/index.js';
import { createStyle } from '../src/output/style.js';
import { runCli } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';

/**
 * `doctor --all`: one card per org, its border coloured by its state. Green only when a token was obtained,
 * orange when it was obtained with warnings, red when a check failed, grey (NOT TESTED) when nothing failed
 * but no token was asked for (--offline).
 */
const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});

const ESC = '\u001b[';
const GREEN = `${ESC}32m`;
const ORANGE = `${ESC}38;5;208m`;
const RED = `${ESC}31m`;
const DIM = `${ESC}2m`;

/** Three orgs in one config: healthy, certificate expiring in 10 days, IP-restricted. */
async function threeOrgs(): Promise<string> {
  const good = await orgProject({ scenario: 'ok' });
  const expiring = await orgProject({ scenario: 'ok' });
  const bad = await orgProject({ scenario: 'ip_restricted' });
  projects.push(good, expiring, bad);
  const day = 86_400_000;
  const key = createPrivateKey(expiring.pair.privateKeyPem);
  const soon = await createSelfSignedCertificate(key, { subject: DEFAULT_SUBJECT, notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 10 * day) });
  await writeFile(expiring.certificatePath, soon);
  const read = async (p: OrgProject) => JSON.parse(await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8')) as Record<string, unknown>;
  const orgs = {
    prod: { ...(await read(good)), privateKeyPath: good.keyPath },
    // The emulated org accepts the shared key's certificate; the local one is a new, expiring one for the same key.
    soon: { ...(await read(expiring)), privateKeyPath: expiring.keyPath, certificatePath: expiring.certificatePath },
    uat: { ...(await read(bad)), privateKeyPath: bad.keyPath },
  };
  await writeFile(path.join(good.dir, '.sfconnect.json'), JSON.stringify({ defaultOrg: 'prod', orgs }, null, 2));
  return good.dir;
}

/** The colour code painting a card's top border, by the org's name in it. */
function borderColour(board: string, name: string): string | undefined {
  const line = board.split('\n').find((l) => l.includes(`╭─ ${name} ·`));
  return line ? /\u001b\[[0-9;]+m/.exec(line)?.[0] : undefined;
}

describe('doctor --all: the board', () => {
  it('green when a token was obtained, orange with warnings, red on failure; the summary counts each', async () => {
    const dir = await threeOrgs();
    const result = await runCli(['doctor', '--all'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(1);
    const board = result.stdout;
    expect(board).toContain('prod · OK');
    expect(board).toContain('soon · WARN');
    expect(board).toContain('uat · FAIL');
    expect(borderColour(board, 'prod')).toBe(GREEN);
    expect(borderColour(board, 'soon')).toBe(ORANGE);
    expect(borderColour(board, 'uat')).toBe(RED);
    expect(board).toMatch(/certificate_expiring|expires|days left/);
    const plain = board.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/3 orgs: 1 OK, 1 with warnings, 1 failing/);
  });

  it('--offline: no token was requested, so nothing is green: NOT TESTED in grey, except what fails locally', async () => {
    const dir = await threeOrgs();
    const result = await runCli(['doctor', '--all', '--offline'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    const board = result.stdout;
    expect(board).toContain('prod · NOT TESTED');
    expect(borderColour(board, 'prod')).toBe(DIM);
    expect(board).not.toContain('prod · OK');
    expect(board).toMatch(/no token requested/);
    // ip_restricted is only found by asking for a token: offline, that org is not tested either.
    expect(board).toContain('uat · NOT TESTED');
    const plain = board.replace(/\u001b\[[0-9;]*m/g, '');
    // The expiring certificate is still counted: the summary agrees with the card that shows it.
    expect(plain).toMatch(/3 orgs: 0 OK, 0 with warnings, 0 failing, 3 not tested \(no token requested; 1 of them with warnings\)$/m);
    expect(plain).toMatch(/│ 0 failed, 1 warning, \d+ passed/);
    expect(result.code).toBe(0);
  });

  it("one org's invalid settings: exit 2, as for that org alone (README), and the JSON still has every org", async () => {
    const dir = await threeOrgs();
    const file = path.join(dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as { orgs: Record<string, Record<string, unknown>> };
    config.orgs.soon.tokenUrl = 'not a url';
    await writeFile(file, JSON.stringify(config, null, 2));
    const result = await runCli(['doctor', '--all', '--json'], { cwd: dir });
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as { ok: boolean; orgs: { org: string; ok: boolean }[] };
    expect(json.ok).toBe(false);
    expect(json.orgs.map(({ org, ok }) => [org, ok])).toEqual([['prod', true], ['soon', false], ['uat', false]]);
    expect((await runCli(['doctor', '--org', 'soon'], { cwd: dir })).code).toBe(2);
  });

  it('without colour the labels carry the state alone', async () => {
    const dir = await threeOrgs();
    const result = await runCli(['doctor', '--all'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toContain('soon · WARN');
  });

  it('a long reason stays inside its border: long words are cut, and a reason past four lines ends in "…"', () => {
    const failing = (detail: string): DoctorReport => ({
      ok: false,
      org: 'uat',
      checks: [{ id: 'token', title: 'Token request', status: 'fail', code: 'oauth_error', detail }],
      summary: { pass: 0, warn: 0, fail: 1, skip: 0 },
      exitCode: 1,
      configPath: null,
    });
    const url = `https://example.my.salesforce.com/${'x'.repeat(120)}`;
    const long = `${'Salesforce refused the request for a reason it did not name. '.repeat(6)}END`;
    const board = renderBoard([{ name: 'a', report: failing(`see ${url}`) }, { name: 'b', report: failing(long) }], createStyle(false), 60);
    const cardLines = board.split('\n').filter((line) => line.startsWith('│'));
    for (const line of board.split('\n').filter((l) => /^[╭│╰]/.test(l))) expect([...line].length, line).toBe(58);
    // The URL is cut into pieces, all of it kept; the long reason is cut after four lines and says so.
    expect(cardLines.map((line) => line.slice(2, -2).trim()).join('')).toContain('x'.repeat(120));
    const second = board.slice(board.indexOf('╭─ b ·'));
    const reason = second.split('\n').filter((line) => line.startsWith('│')).slice(0, -1);
    expect(reason).toHaveLength(4);
    expect(reason[3].slice(0, -2).trimEnd()).toMatch(/…$/);
    expect(second).not.toContain('END');
    expect(board).toMatch(/^2 orgs: /m);
    expect(board).toMatch(/^Every problem with its fix: sf-setup doctor --org a \(and so on for each org\)$/m);
    expect(renderBoard([{ name: 'a', report: failing('x') }], createStyle(false), 60)).toMatch(/^1 org: 0 OK, 0 with warnings, 1 failing$/m);
  });
});
