/** Where the key and certificate go unless told otherwise: the seed guide's names. No imports, so any entry may use it. */
export const DEFAULT_KEY_DIR = 'certs';
export const DEFAULT_KEY_FILE = 'server.key';
export const DEFAULT_CERTIFICATE_FILE = 'server.crt';
