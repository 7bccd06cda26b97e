/**
 * Import a module that loads Ink (the wizard's and the doctor's screens).
 *
 * Ink's layout engine, yoga-layout, carries its WebAssembly inline as a base64 `data:` URL, and its
 * Emscripten loader reads that URL with the global `fetch` whenever one exists. On Node the first `fetch`
 * loads undici (Node's HTTP client, some 40 ms to compile) and then decodes the 90 KB through the URL
 * parser in JavaScript: about 60 ms of the wizard's first screen. Without `fetch` the same loader decodes
 * it with `atob`, in a few milliseconds. So `fetch` is taken off the global object while the import runs
 * and put back, as it was, when it settles, whether it loaded or failed. Nothing in sf-setup uses `fetch`
 * (its HTTP goes through got), and nothing else runs during the import but module code.
 */
export async function importWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return load();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}
