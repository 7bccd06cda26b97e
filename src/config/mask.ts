/** Masks for reports: enough to recognise, not enough to reuse. */

function maskPart(part: string): string {
  if (part.length <= 1) return '*';
  return `${part[0]}${'*'.repeat(Math.min(3, part.length - 1))}`;
}

/** "jane.doe@acme.com.uat" -> "j***@a***.com.uat" */
export function maskUsername(username: string): string {
  const at = username.lastIndexOf('@');
  if (at < 0) return maskPart(username);
  const local = username.slice(0, at);
  const [domain, ...rest] = username.slice(at + 1).split('.');
  return `${maskPart(local)}@${maskPart(domain)}${rest.length ? `.${rest.join('.')}` : ''}`;
}

/** First 6 and last 4 characters of a Consumer Key. */
export function maskClientId(clientId: string): string {
  if (clientId.length <= 12) return `${clientId.slice(0, 2)}…`;
  return `${clientId.slice(0, 6)}…${clientId.slice(-4)}`;
}
