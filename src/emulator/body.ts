import type { IncomingMessage } from 'node:http';

/** Largest request body the emulator reads (a token request is well under 4 KB). */
export const BODY_LIMIT = 64 * 1024;

// Past the limit the rest is read and discarded, so the client finishes sending and can read the 413;
// beyond this much the emulator stops listening to it.
const DRAIN_LIMIT = 1024 * 1024;

export interface RequestBody {
  text: string;
  tooLarge: boolean;
}

/** The request body as UTF-8, or undefined when the client went away before sending all of it. */
export function readBody(request: IncomingMessage): Promise<RequestBody | undefined> {
  return new Promise((resolve) => {
    if (Number(request.headers['content-length']) > DRAIN_LIMIT) {
      request.resume();
      resolve({ text: '', tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
      else {
        tooLarge = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT) resolve({ text: '', tooLarge });
      }
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    // After 'end' these are no-ops: a promise resolves once.
    request.on('error', () => resolve(undefined));
    request.on('close', () => resolve(undefined));
  });
}
