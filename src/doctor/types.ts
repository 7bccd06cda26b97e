import type { ResolvedConfig } from '../config/types.js';
import type { LoadedCertificate, LoadedPrivateKey } from '../keys/index.js';
import type { HttpSettings } from '../salesforce/http.js';
import type { TokenResult } from '../salesforce/token.js';
import type { Status } from '../output/style.js';

export type CheckStatus = Status;

export interface CheckResult {
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
  /** Knowledge-base code, for warn and fail. */
  code?: string;
  /** Fix steps (from the knowledge base, possibly with run-specific steps added). */
  fix?: string[];
  /** Causes ranked for this run (from the knowledge base, reordered by local evidence). */
  causes?: string[];
  /** The entry is less than certain: the causes are headed "likely" (causesHeading). */
  hedged?: boolean;
  /** Local evidence that decided the ranking ("your key and certificate do not match"). */
  evidence?: string[];
  /** Salesforce's own words, when it answered with an error. */
  salesforce?: { status?: number; error?: string; errorDescription?: string; excerpt?: string };
  /** Extra facts shown with -v and in the report. */
  facts?: [string, string][];
  /** A repair `--fix` can make. */
  repair?: Repair;
  durationMs?: number;
}

/** A safe, local repair: shown and confirmed before it runs. */
export interface Repair {
  description: string;
  apply(): Promise<string>;
}

export interface DoctorOptions {
  configPath?: string;
  org?: string;
  offline: boolean;
  timeoutMs: number;
  allowUntrustedHost?: boolean;
  detectIp?: boolean;
}

/** What the checks learn and share, filled in order (config before key before token...). */
export interface DoctorState {
  cwd: string;
  env: NodeJS.ProcessEnv;
  options: DoctorOptions;
  http: HttpSettings;
  now: Date;
  config?: ResolvedConfig;
  /** Exit code 2 when the config could not be read at all. */
  configUnreadable?: boolean;
  key?: LoadedPrivateKey;
  keyPath?: string;
  certificate?: LoadedCertificate;
  keyMatchesCertificate?: boolean;
  environmentMismatch?: string | null;
  serverDate?: Date;
  clockSkewSeconds?: number;
  /** How many seconds the request that measured it took: one request cannot tell an offset closer than this. */
  clockWindowSeconds?: number;
  token?: TokenResult;
  /** The user's profile, asked for by the API check for the least-privilege check. */
  profile?: Promise<{ name?: string; failed?: true }>;
  results: Map<string, CheckResult>;
}

export interface Check {
  id: string;
  title: string;
  /** Checks that must pass (or warn) first; otherwise this one is skipped. */
  dependsOn?: string[];
  /** Needs the network: skipped with --offline. */
  network?: boolean;
  /** Reads what an earlier request learned and sends none itself (the clock): the run's time limit does not cut it. */
  sendsNothing?: boolean;
  run(state: DoctorState): Promise<CheckResult>;
}

export interface CheckOutcome extends CheckResult {
  id: string;
  title: string;
}

export interface DoctorReport {
  ok: boolean;
  org: string | null;
  checks: CheckOutcome[];
  summary: Record<CheckStatus, number>;
  /** 0 ok, 1 a check failed, 2 the config could not be read. */
  exitCode: number;
  configPath: string | null;
}
