import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileTimestamp } from '../fs-util.js';
import { generateKeyAndCertificate } from './generate.js';
import { loadCertificate } from './load-certificate.js';
import { DEFAULT_SUBJECT, parseSubject, type CertificateSubject } from './subject.js';
import { writeKeyAndCertificate, type WrittenKeyPair } from './write.js';

export interface RotationOptions {
  bits?: 2048 | 3072 | 4096;
  days?: number;
}

/**
 * First step of a rotation (facts sheet: generate, upload, switch, test; keep the old key until the new one
 * works): a new pair beside the current one, named `<key>-YYYYMMDD.key/.crt`, with the old certificate's
 * subject so the app's certificate details stay recognisable. Nothing existing is touched.
 */
export async function createRotationPair(currentKeyPath: string, currentCertificatePath: string | undefined, options: RotationOptions = {}): Promise<WrittenKeyPair> {
  const dir = path.dirname(currentKeyPath);
  const base = `${path.basename(currentKeyPath, path.extname(currentKeyPath)).replace(/-\d{8}(?:-\d+)?$/, '')}-${fileTimestamp().slice(0, 8)}`;
  let name = base;
  for (let n = 2; existsSync(path.join(dir, `${name}.key`)) || existsSync(path.join(dir, `${name}.crt`)); n++) name = `${base}-${n}`;
  let subject: CertificateSubject = DEFAULT_SUBJECT;
  if (currentCertificatePath && existsSync(currentCertificatePath)) {
    try {
      subject = parseSubject(loadCertificate({ path: currentCertificatePath }).subject);
    } catch {
      // an unreadable old certificate: the defaults will do
    }
  }
  const pair = await generateKeyAndCertificate({ bits: options.bits ?? 2048, days: options.days ?? 365, subject });
  return writeKeyAndCertificate(pair, { dir, keyFile: `${name}.key`, certificateFile: `${name}.crt` });
}
