/** Days before its end from which a certificate is worth rotating (the facts sheet: warn 30 days ahead). */
export const EXPIRY_WARN_DAYS = 30;

/** A certificate's end, as `doctor` and `test` report it. */
export interface ExpiryFinding {
  status: 'fail' | 'warn';
  code: 'certificate_expired' | 'certificate_expiring';
  detail: string;
}

/** Expired, or expiring within EXPIRY_WARN_DAYS; undefined while it has longer. `label` names the file. */
export function expiryFinding(cert: { notAfter: Date; daysLeft: number }, label: string, now: Date = new Date()): ExpiryFinding | undefined {
  const end = cert.notAfter.toISOString().slice(0, 10);
  if (cert.daysLeft < 0) return { status: 'fail', code: 'certificate_expired', detail: `${label} expired on ${end} (${daysAgo(cert.notAfter, now)})` };
  if (cert.daysLeft <= EXPIRY_WARN_DAYS) return { status: 'warn', code: 'certificate_expiring', detail: `${label} expires on ${end}: ${plural(cert.daysLeft, 'day')} left` };
  return undefined;
}

/** Whole days since the end ("less than a day ago" on the first day; daysLeft is already -1 then). */
function daysAgo(notAfter: Date, now: Date): string {
  const whole = Math.floor((now.getTime() - notAfter.getTime()) / 86_400_000);
  return whole < 1 ? 'less than a day ago' : `${plural(whole, 'day')} ago`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
