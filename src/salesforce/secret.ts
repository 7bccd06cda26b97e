import { inspect } from 'node:util';
import { holdSecret } from '../output/printable.js';

/**
 * A value that must never be printed: access tokens and signed assertions. String conversion, JSON and
 * util.inspect all give a redacted preview, so an accidental `console.log(result)` leaks nothing.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    // Text from servers is shown through printable(), which hides every value held here.
    holdSecret(value);
  }

  /** The real value, for the one place that must send it. */
  reveal(): string {
    return this.#value;
  }

  /** At most a short prefix, safe to show ("00D5g0…"). */
  preview(length = 6): string {
    return `${this.#value.slice(0, Math.min(length, Math.floor(this.#value.length / 4)))}…`;
  }

  toString(): string {
    return this.preview();
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return `Secret(${this.preview()})`;
  }
}
