#!/usr/bin/env node
// npm run bench: start-up and end-to-end timings of the real binary against the emulated org, with peak
// memory (from /usr/bin/time when present), medians over several runs after a warm-up. Not a test: it
// measures and prints a table for README.md's "Performance" section.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'sf-setup.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const hasTime = existsSync('/usr/bin/time');

// NODE_EXTRA_CA_CERTS makes Node parse a CA bundle at every start (about 40 ms here). Most machines do not
// set it, so the commands run without it; one row shows --version with it, and the header says it was set.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const childEnv = { ...process.env };
delete childEnv.NODE_EXTRA_CA_CERTS;
delete childEnv.CI;

function measure(cmd, args, opts = {}) {
  const started = process.hrtime.bigint();
  const full = hasTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', env: childEnv, ...opts });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let kb = NaN;
  if (hasTime) {
    const lines = r.stderr.trim().split('\n');
    kb = Number(lines[lines.length - 1]);
  }
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, mb: kb / 1024 };
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

function summarizeSamples(name, samples) {
  return { name, time: stats(samples.map((x) => x.ms)), mem: stats(samples.map((x) => x.mb)) };
}

/** The 2.5th and 97.5th percentiles of median(a) / median(b) over resamples of both (with replacement). */
function bootstrapRatio(a, b, rounds = 4000) {
  const resample = (xs) => Array.from(xs, () => xs[Math.floor(Math.random() * xs.length)]);
  const ratios = Array.from({ length: rounds }, () => stats(resample(a)).median / stats(resample(b)).median).sort((x, y) => x - y);
  return [ratios[Math.floor(rounds * 0.025)], ratios[Math.floor(rounds * 0.975)]];
}

function bench(name, fn, runs = RUNS) {
  fn(); // warm-up
  const samples = Array.from({ length: runs }, fn);
  return { name, time: stats(samples.map((x) => x.ms)), mem: stats(samples.map((x) => x.mb)) };
}

const { generateKeyAndCertificate } = await import(path.join(root, 'dist/src/keys/index.js'));

const dir = mkdtempSync(path.join(os.tmpdir(), 'sf-setup-bench-'));
const pair = await generateKeyAndCertificate({ bits: 2048 });
mkdirSync(path.join(dir, 'certs'), { mode: 0o700 });
writeFileSync(path.join(dir, 'certs/server.key'), pair.privateKeyPem, { mode: 0o600 });
writeFileSync(path.join(dir, 'certs/server.crt'), pair.certificatePem);
writeFileSync(path.join(dir, '.gitignore'), 'certs/server.key\n');

const config = { apiVersion: 'v59.0', authType: 'jwt', privateKeyPath: './certs/server.key', algorithm: 'RS256' };
const node = process.execPath;
const rows = [];

// Org-backed commands need this process's event loop free: serve the org from a child process.
const server = spawn(node, ['-e', `
  import(${JSON.stringify(path.join(root, 'dist/src/emulator/index.js'))}).then(async ({ startEmulator }) => {
    const cert = ${JSON.stringify(pair.certificatePem)};
    const orgs = await Promise.all(Array.from({ length: 51 }, () => startEmulator({ certificates: [cert] })));
    process.stdout.write(JSON.stringify(orgs.map((o) => ({ url: o.url, tokenUrl: o.tokenUrl, clientId: o.clientId, username: o.username }))) + '\\n');
  });
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const served = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(JSON.parse(String(d)))));
const [main, ...rest] = served;
writeFileSync(path.join(dir, '.sfconnect.json'), JSON.stringify({ ...config, instanceUrl: main.url, tokenUrl: main.tokenUrl, clientId: main.clientId, username: main.username }, null, 2));
const allDir = mkdtempSync(path.join(os.tmpdir(), 'sf-setup-bench-all-'));
writeFileSync(path.join(allDir, '.sfconnect.json'), JSON.stringify({ defaultOrg: 'org01', orgs: Object.fromEntries(rest.map((o, i) => [`org${String(i + 1).padStart(2, '0')}`, { ...config, instanceUrl: o.url, tokenUrl: o.tokenUrl, clientId: o.clientId, username: o.username, privateKeyPath: path.join(dir, 'certs/server.key') }])) }, null, 2));

// The start-up rows run in rounds (each command once per round, after a warm-up round), so that a busy
// spell of the machine falls on all of them alike; "over Node" is the median of each round's difference
// from Node's own start in that round.
const rounds = [
  ['node -e 0 (Node.js start-up, the floor)', () => measure(node, ['-e', '0'])],
  ['sf-setup --version', () => measure(node, [bin, '--version'])],
  ...(extraCa ? [['sf-setup --version, NODE_EXTRA_CA_CERTS set', () => measure(node, [bin, '--version'], { env: process.env })]] : []),
  ['sf-setup explain "ip restricted"', () => measure(node, [bin, 'explain', 'ip restricted'])],
  ['sf-setup doctor --offline --json', () => measure(node, [bin, 'doctor', '--offline', '--json'], { cwd: dir })],
  ['sf-setup test', () => measure(node, [bin, 'test'], { cwd: dir })],
  ['sf-setup doctor --json', () => measure(node, [bin, 'doctor', '--json'], { cwd: dir })],
];
for (const [, fn] of rounds) fn(); // warm-up
const roundSamples = rounds.map(() => []);
for (let i = 0; i < RUNS; i++) rounds.forEach(([, fn], k) => roundSamples[k].push(fn()));
rounds.forEach(([name], k) => {
  const overNode = k === 0 ? undefined : stats(roundSamples[k].map((x, i) => x.ms - roundSamples[0][i].ms)).median;
  rows.push({ ...summarizeSamples(name, roundSamples[k]), overNode });
});
rows.push(bench('sf-setup doctor --all --json (50 orgs)', () => measure(node, [bin, 'doctor', '--all', '--json'], { cwd: allDir, allowFail: true }), 5));
// The Salesforce CLI on the same emulated org, where it is installed (SF_CLI=path/to/sf). Not tried on our
// machines (no sf there): whether sf accepts an http://127.0.0.1 instance URL is unverified, so a failing
// run is reported, not hidden. It writes its auth files under a throw-away HOME.
let sfLogin;
if (process.env.SF_CLI) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sf-setup-bench-sfhome-'));
  const args = ['org', 'login', 'jwt', '--client-id', main.clientId, '--jwt-key-file', path.join(dir, 'certs/server.key'), '--username', main.username, '--instance-url', main.url];
  const probe = spawnSync(process.env.SF_CLI, args, { encoding: 'utf8', env: { ...childEnv, HOME: home } });
  sfLogin = bench(`sf org login jwt (Salesforce CLI${probe.status === 0 ? '' : `, exits ${probe.status}: see below`})`, () => measure(process.env.SF_CLI, args, { env: { ...childEnv, HOME: home }, allowFail: true }), 5);
  if (probe.status !== 0) sfLogin.note = (probe.stderr || probe.stdout).trim().split('\n')[0];
  rows.push(sfLogin);
  rmSync(home, { recursive: true, force: true });
}
server.kill();

// RSA key generation is a random prime search: one run can take twice another. Both sides get many runs,
// interleaved (sf-setup, openssl, sf-setup, ...), so load and luck fall on both alike, and the ratio of the
// medians comes with a bootstrap interval: how far luck alone moves it with this many runs.
const KEY_RUNS = Math.max(RUNS, 61);
const keyDir = mkdtempSync(path.join(os.tmpdir(), 'sf-setup-bench-keys-'));
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const sfKeygen = () => measure(node, [bin, 'keygen', '--force', '--dir', keyDir], { cwd: keyDir });
const opensslPair = () => {
  const a = measure('openssl', ['genrsa', '-out', path.join(keyDir, 'o.key'), '2048'], { stdio: 'pipe' });
  const b = measure('openssl', ['req', '-new', '-x509', '-key', path.join(keyDir, 'o.key'), '-out', path.join(keyDir, 'o.crt'), '-days', '365', '-subj', '/CN=bench'], { stdio: 'pipe' });
  return { ms: a.ms + b.ms, mb: Math.max(a.mb, b.mb) };
};
sfKeygen();
if (hasOpenssl) opensslPair();
const keySamples = [];
const opensslSamples = [];
for (let i = 0; i < KEY_RUNS; i++) {
  keySamples.push(sfKeygen());
  if (hasOpenssl) opensslSamples.push(opensslPair());
}
const keygen = summarizeSamples(`sf-setup keygen --force (2048 + certificate; ${KEY_RUNS} runs)`, keySamples);
rows.push(keygen);
const openssl = hasOpenssl ? summarizeSamples(`openssl genrsa 2048 + req -x509 (two processes; ${KEY_RUNS} runs)`, opensslSamples) : undefined;
if (openssl) rows.push(openssl);
else console.error('openssl is not installed: no keygen ratio');
// The wizard's first screen: `sf-setup init` in a real pseudo-terminal, timed from the start of the command
// until the terminal has received step 1. The terminal is util-linux's `script` (a pty for one command), and
// its output is read as it arrives, with no polling: polling tmux with `capture-pane` every few ms (how this
// was first measured) spawns a process per poll and, on two cores, slowed the wizard it was timing by about
// 150 ms. The row before it is the floor: Node.js printing one line through the same terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;
function inTerminal(command, expected) {
  return new Promise((resolve, reject) => {
    const wizDir = mkdtempSync(path.join(os.tmpdir(), 'sf-setup-bench-wiz-'));
    const started = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${command}`, '/dev/null'], { cwd: wizDir, env: childEnv, stdio: ['pipe', 'pipe', 'ignore'] });
    let screen = '';
    let ms = NaN;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (data) => {
      screen += data;
      if (Number.isNaN(ms) && screen.includes(expected)) {
        ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.kill('SIGKILL');
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      rmSync(wizDir, { recursive: true, force: true });
      if (Number.isFinite(ms)) resolve({ ms, mb: NaN });
      else reject(new Error(`"${expected}" never appeared; the terminal showed:\n${screen}`));
    });
  });
}
if (hasScript) {
  // In rounds, as the start-up rows; "over Node" is the difference from Node printing a line in that round.
  const floor = () => inTerminal(`${node} -e "console.log('first screen'); setTimeout(() => {}, 10000)"`, 'first screen');
  const wizard = () => inTerminal(`${node} ${bin} init`, 'Keys and certificate');
  await floor();
  await wizard();
  const floors = [];
  const wizards = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(await floor());
    wizards.push(await wizard());
  }
  rows.push(summarizeSamples('node printing a line in a pseudo-terminal (the floor for the next row)', floors));
  rows.push({ ...summarizeSamples('wizard first screen (sf-setup init in a pseudo-terminal)', wizards), overNode: stats(wizards.map((x, i) => x.ms - floors[i].ms)).median });
} else console.error('script (util-linux) is not installed: no wizard first-screen timing');
if (process.env.SF_CLI) {
  rows.push(bench('sf --version (Salesforce CLI)', () => measure(process.env.SF_CLI, ['--version'])));
}

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '–');
const lines = [
  `sf-setup benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}, ${RUNS} runs after a warm-up${extraCa ? '; commands run without NODE_EXTRA_CA_CERTS (set on this machine)' : ''}`,
  '',
  '| Command | median ms | min ms | max ms | over Node ms | peak MB (median) |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${fmt(r.time.median)} | ${fmt(r.time.min)} | ${fmt(r.time.max)} | ${r.overNode === undefined ? '' : fmt(r.overNode)} | ${fmt(r.mem.median)} |`),
];
if (openssl) {
  const [low, high] = bootstrapRatio(keySamples.map((x) => x.ms), opensslSamples.map((x) => x.ms));
  lines.push('', `keygen / openssl pair: ${(keygen.time.median / openssl.time.median).toFixed(2)}× (95% bootstrap interval ${low.toFixed(2)}-${high.toFixed(2)}×: the prime search is random)`);
}
// What a user downloads and installs (npm pack, then the tarball installed offline with production dependencies).
const { packAndInstall } = await import('./footprint.mjs');
const installed = packAndInstall(root);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
lines.push(`installed footprint: ${mb(installed.installedBytes)} MB on disk, ${installed.packages.length} package${installed.packages.length === 1 ? '' : 's'} (${installed.packages.join(', ')}); tarball ${mb(installed.tarballBytes)} MB, ${installed.files.length} files`);
rmSync(installed.dir, { recursive: true, force: true });
const testRow = rows.find((r) => r.name === 'sf-setup test');
if (sfLogin && testRow) lines.push(`sf org login jwt / sf-setup test: ${(sfLogin.time.median / testRow.time.median).toFixed(2)}×${sfLogin.note ? ` (sf said: ${sfLogin.note})` : ''}`);
console.log(lines.join('\n'));
rmSync(dir, { recursive: true, force: true });
rmSync(allDir, { recursive: true, force: true });
rmSync(keyDir, { recursive: true, force: true });
