/**
 * A strict JSON checker that says exactly where and why a file is not JSON: line and column, and the
 * classic hand-editing mistakes by name (comments, trailing commas, single quotes, a truncated file).
 * JSON.parse's own messages differ between Node versions and give only an offset.
 */

export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
  fix: string;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}

/**
 * Deeper nesting is refused: the scanner recurses, and a file of 10,000 `[` would otherwise overflow the
 * stack and surface as a crash. A config file nests three levels (orgs > name > egressIps).
 */
export const MAX_JSON_DEPTH = 64;

class Scan {
  pos = 0;
  depth = 0;
  constructor(readonly text: string) {}

  enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) {
      this.fail(`the JSON nests more than ${MAX_JSON_DEPTH} levels deep; this is not a config file`, 'point --config at the .sfconnect.json file (it nests 3 levels at most)');
    }
  }

  fail(message: string, fix: string, at = this.pos): never {
    const { line, column } = lineColumn(this.text, at);
    throw Object.assign(new Error(message), { jsonError: { line, column, message, fix } satisfies JsonSyntaxError });
  }

  ws(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
        this.fail('JSON does not allow comments', 'remove the comment (or move notes into a field, e.g. "notes": "...")');
      } else return;
    }
  }

  value(): void {
    this.ws();
    const c = this.text[this.pos];
    if (c === undefined) this.fail('the file ends too early (truncated?)', 'complete the JSON: every { needs its }');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === "'") this.fail('JSON strings need double quotes, not single quotes', 'replace \' with "');
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`unexpected ${describe(c)}`, 'check the value here: text needs "double quotes"');
  }

  object(): void {
    this.enter();
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return;
    }
    for (;;) {
      this.ws();
      const c = this.text[this.pos];
      if (c === '}') this.fail('trailing comma before }', 'remove the comma after the last field', this.lastComma);
      if (c !== '"') {
        if (c === undefined) this.fail('the file ends too early (truncated?)', 'complete the JSON: every { needs its }');
        this.fail(`expected a "quoted" field name, found ${describe(c)}`, 'field names need double quotes: "clientId": "..."');
      }
      this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after the field name, found ${describe(this.text[this.pos])}`, 'write "field": value');
      this.pos++;
      this.value();
      this.ws();
      const next = this.text[this.pos];
      if (next === ',') {
        this.lastComma = this.pos;
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        this.depth--;
        return;
      }
      if (next === undefined) this.fail('the file ends too early (truncated?)', 'complete the JSON: every { needs its }');
      this.fail(`expected ',' or '}' after a value, found ${describe(next)}`, 'separate fields with commas');
    }
  }

  lastComma = 0;

  array(): void {
    this.enter();
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] === ']') this.fail('trailing comma before ]', 'remove the comma after the last item', this.lastComma);
      this.value();
      this.ws();
      const next = this.text[this.pos];
      if (next === ',') {
        this.lastComma = this.pos;
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        this.depth--;
        return;
      }
      if (next === undefined) this.fail('the file ends too early (truncated?)', 'complete the JSON: every [ needs its ]');
      this.fail(`expected ',' or ']' in a list, found ${describe(next)}`, 'separate items with commas');
    }
  }

  string(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('a string is not closed', 'add the closing "', start);
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape in a string', 'write \\u followed by 4 hex digits');
          this.pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          this.pos += 2;
        } else {
          this.fail(`bad escape \\${e ?? ''} in a string`, 'Windows paths need doubled backslashes (C:\\\\keys\\\\server.key) or forward slashes');
        }
        continue;
      }
      if (c < ' ') this.fail('a control character inside a string', 'remove it (a tab or line break inside quotes)');
      this.pos++;
      if (c === '"') return;
    }
  }

  number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) this.fail('a malformed number', 'write numbers like 365 or 1.5');
    this.pos += match[0].length;
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  if (c === '\n' || c === '\r') return 'a line break';
  // Never echo a control character (a NUL, an escape) onto the terminal: name it.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\uFEFF]/.test(c)) return `invisible character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${c}'`;
}

/** Parse JSON text; throws an Error carrying `jsonError` with line, column, message and fix. */
export function parseJsonStrict(text: string): unknown {
  const scan = new Scan(text);
  scan.value();
  scan.ws();
  if (scan.pos < text.length) scan.fail(`unexpected ${describe(text[scan.pos])} after the end of the JSON`, 'remove what follows the last }');
  return JSON.parse(text);
}

export function jsonErrorOf(error: unknown): JsonSyntaxError | undefined {
  return (error as { jsonError?: JsonSyntaxError } | undefined)?.jsonError;
}
