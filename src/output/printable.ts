/**
 * Text from a server (an error description, a username from userinfo, a page excerpt) made safe to print
 * on one line: control characters, escape sequences included, become spaces, runs of whitespace collapse,
 * and it is cut to `max` characters. A broken or hostile server (a captive portal, a proxy) must not be able
 * to draw on the user's terminal, e.g. print a fake "✓ Authentication successful" line.
 */
export function printable(value: string, max = 300): string {
  // C0 controls (ESC, CR, LF, TAB...), DEL, C1 controls, and the Unicode line/paragraph separators.
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
