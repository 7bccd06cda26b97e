import { AUTO_RETRY, type FailureCard } from './failure.js';

/**
 * When the automatic retry chosen at `startedAt` stops: Salesforce applies a new app within 2-10 minutes,
 * so retrying longer only hides a real misconfiguration.
 */
export function autoRetryUntil(startedAt: number): number {
  return startedAt + AUTO_RETRY.maxMs;
}

/**
 * After a failed attempt at `now`: wait and try again, or stop and show the card. Only while automatic retry
 * is on (`until` set), only for an answer propagation can change (`card.autoRetry`), and only if the next
 * attempt still falls inside the window. The one rule both front ends (Ink and plain) apply.
 */
export function shouldAutoRetry(card: Pick<FailureCard, 'autoRetry'>, until: number | null | undefined, now: number): boolean {
  return Boolean(until) && card.autoRetry && now + AUTO_RETRY.intervalMs <= (until as number);
}
