/** Days before its end from which a certificate is worth rotating (the facts sheet: warn 30 days ahead). */
export const EXPIRY_WARN_DAYS = 30;

/** A certificate's end, as `doctor` and `test` report it. */
export interface ExpiryFinding {
  status: 'fail' | 'warn';
  code: 'certificate_expired' | 'certificate_expiring';
  detail: string;
}

/** Expired, or expiring within EXPIRY_WARN_DAYS; undefined while it has longer. `label` names the file. */
export function expiryFinding(cert: { notAfter: Date; daysLeft: number }, label: string): ExpiryFinding | undefined {
  const end = cert.notAfter.toISOString().slice(0, 10);
  if (cert.daysLeft < 0) return { status: 'fail', code: 'certificate_expired', detail: `${label} expired on ${end} (${-cert.daysLeft} days ago)` };
  if (cert.daysLeft <= EXPIRY_WARN_DAYS) return { status: 'warn', code: 'certificate_expiring', detail: `${label} expires on ${end}: ${cert.daysLeft} days left` };
  return undefined;
}
