/**
 * The few facts we need from a certificate's DER that Node 20's X509Certificate does not expose: the
 * signature algorithm (Node added `signatureAlgorithm` only in later majors) and exact validity dates
 * (`validFrom` is a display string). A minimal DER walker is enough: the certificate was already parsed and
 * validated by OpenSSL through X509Certificate, so this only navigates a known structure.
 */

interface Tlv {
  tag: number;
  /** Offset of the value. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new Error('DER: truncated header');
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new Error('DER: unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i];
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new Error('DER: value runs past its container');
  return { tag, start, end };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function decodeOid(der: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== 0x06) throw new Error('DER: expected an OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = tlv.start; i < tlv.end; i++) {
    value = value * 128 + (der[i] & 0x7f);
    if (!(der[i] & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  return parts.join('.');
}

function decodeTime(der: Uint8Array, tlv: Tlv): Date {
  const text = Buffer.from(der.subarray(tlv.start, tlv.end)).toString('latin1');
  let match: RegExpMatchArray | null;
  let year: number;
  if (tlv.tag === 0x17) {
    // UTCTime: YYMMDDHHMM[SS]Z; RFC 5280: YY >= 50 means 19YY.
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text);
    if (!match) throw new Error('DER: bad UTCTime');
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === 0x18) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text);
    if (!match) throw new Error('DER: bad GeneralizedTime');
    year = Number(match[1]);
  } else {
    throw new Error('DER: expected a time');
  }
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0)));
}

export interface CertificateDerFacts {
  signatureAlgorithmOid: string;
  notBefore: Date;
  notAfter: Date;
}

/** Read the outer signature algorithm and the validity period from a certificate's DER. Throws on a bad structure. */
export function readCertificateDer(der: Uint8Array): CertificateDerFacts {
  const certificate = readTlv(der, 0, der.length);
  const [tbs, signatureAlgorithm] = children(der, certificate);
  if (!tbs || !signatureAlgorithm) throw new Error('DER: not a certificate');
  const tbsFields = children(der, tbs);
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity, ...
  const first = tbsFields[0]?.tag === 0xa0 ? 1 : 0;
  const validity = tbsFields[first + 3];
  if (!validity) throw new Error('DER: no validity');
  const [notBefore, notAfter] = children(der, validity);
  const algorithm = children(der, signatureAlgorithm)[0];
  if (!notBefore || !notAfter || !algorithm) throw new Error('DER: incomplete certificate');
  return {
    signatureAlgorithmOid: decodeOid(der, algorithm),
    notBefore: decodeTime(der, notBefore),
    notAfter: decodeTime(der, notAfter),
  };
}

/** Names for the signature algorithms a certificate is likely to carry (openssl's names). */
export const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** Signature algorithms whose hash is SHA-256. */
export const SHA256_SIGNATURE_OIDS = new Set(['1.2.840.113549.1.1.11', '1.2.840.10045.4.3.2']);
