/**
 * Stands in for the `http2-wrapper` package in the published bundle (package.json's bundle:program aliases it
 * here). got imports http2-wrapper at load, and http2-wrapper, as it loads, opens a throw-away TLS socket to
 * reach an internal class: that builds a TLS context with the whole root-certificate store and loads Node's
 * http2 module, about 30 ms on every command that makes a request, even to http://127.0.0.1. got reaches
 * http2-wrapper only for requests made with its `http2: true` option, which sf-setup never sets
 * (src/salesforce/http.ts speaks HTTP/1.1). Should that ever change, the request fails with this message
 * rather than doing something else. The TypeScript build and the tests run got with the real package.
 */
function unused(): never {
  throw new Error('HTTP/2 is not built into sf-setup (got was asked for http2: true; see src/salesforce/http2-unused.ts)');
}

const http2Unused = {
  get globalAgent(): never {
    return unused();
  },
  get auto(): never {
    return unused();
  },
};

export default http2Unused;
