import path from 'node:path';
import React from 'react';
import { Box, Text } from 'ink';
import { keyProblemsToList, type KeyFacts } from '../src/wizard/index.js';
import { Dim, Mark, useTone } from './theme.js';

/** `AB:CD:EF:01:…:9F:10`: enough of the fingerprint to compare, short enough for 60 columns. */
export function shortFingerprint(fp: string): string {
  const parts = fp.split(':');
  return parts.length > 8 ? `${parts.slice(0, 6).join(':')}:…:${parts.slice(-2).join(':')}` : fp;
}

/** A small bar of the validity left: full when new, empty when expired. */
export function validityBar(daysLeft: number, validityDays: number, width = 12): string {
  const filled = Math.max(0, Math.min(width, Math.round((daysLeft / Math.max(1, validityDays)) * width)));
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

/** What step 1 found on disk: bits, fingerprint, expiry, and whether key and certificate match. */
export function KeyFactsView({ facts, cwd }: { facts: KeyFacts; cwd: string }): React.JSX.Element {
  const tone = useTone();
  const rel = (p: string) => path.relative(cwd, p) || p;
  const days = facts.daysLeft ?? 0;
  const expiryStatus = facts.expired ? 'fail' : days <= 30 ? 'warn' : 'pass';
  return (
    <Box flexDirection="column">
      <Text>
        <Mark status={facts.keyExists ? 'pass' : 'fail'} /> {rel(facts.keyPath)}
        {facts.bits ? <Dim>{`  RSA ${facts.bits}`}</Dim> : facts.keyExists ? '' : <Dim>  missing</Dim>}
      </Text>
      <Text>
        <Mark status={facts.certificateExists ? 'pass' : 'fail'} /> {rel(facts.certificatePath)}
        {facts.fingerprint ? <Dim>{`  SHA-256 ${shortFingerprint(facts.fingerprint)}`}</Dim> : facts.certificateExists ? '' : <Dim>  missing</Dim>}
      </Text>
      {facts.notAfter && (
        <Text>
          <Mark status={expiryStatus} /> {facts.expired ? 'Expired' : 'Expires'} {facts.notAfter.toISOString().slice(0, 10)}:{' '}
          {facts.expired ? `${-days} days ago` : `${days} days left`} <Text color={tone(expiryStatus === 'pass' ? 'green' : expiryStatus === 'warn' ? 'yellow' : 'red')}>{validityBar(days, facts.validityDays ?? 365)}</Text>
        </Text>
      )}
      {facts.matches !== undefined && (
        <Text>
          <Mark status={facts.matches ? 'pass' : 'fail'} /> {facts.matches ? 'The key and the certificate belong together' : 'The key and the certificate do NOT belong together'}
        </Text>
      )}
      {keyProblemsToList(facts).map((p) => (
          <Text key={p}>
            <Mark status="fail" /> {p}
          </Text>
        ))}
    </Box>
  );
}
