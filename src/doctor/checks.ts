import { certificateCheck, configCheck, environmentCheck, keyCheck, runtimeCheck, secretsCheck } from './local-checks.js';
import { apiCheck, clockCheck, networkCheck, privilegeCheck, tokenCheck } from './network-checks.js';
import type { Check } from './types.js';

/** Every check, in the order they run and are shown (each after what it depends on). */
export const CHECKS: readonly Check[] = [
  runtimeCheck,
  configCheck,
  environmentCheck,
  keyCheck,
  certificateCheck,
  secretsCheck,
  networkCheck,
  clockCheck,
  tokenCheck,
  apiCheck,
  privilegeCheck,
];
