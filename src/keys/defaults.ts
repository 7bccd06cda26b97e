/** Where the key and certificate go unless told otherwise: the seed guide's names. No imports, so any entry may use it. */
export const DEFAULT_KEY_DIR = 'certs';
export const DEFAULT_KEY_FILE = 'server.key';
export const DEFAULT_CERTIFICATE_FILE = 'server.crt';

/**
 * The certificate's path when only the key's is given: the key's name with its extension (whatever it is)
 * replaced by `.crt`, so `certs/jwt.pem` pairs with `certs/jwt.crt`. A key path that already ends in `.crt`
 * (the certificate named as the key by mistake) gives itself, so the key check alone reports the mix-up.
 * Config defaults, the wizard and `rotate --switch` all pair files this way.
 */
export function certificatePathBeside(keyPath: string): string {
  return keyPath.replace(/(?<=[^/\\])\.[^./\\]+$/, '') + '.crt';
}
