import path from 'node:path';
import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { SUBJECT_FIELDS, type CertificateSubject } from '../src/keys/index.js';
import { canCertify, certifiedSummary, CERTIFY_DAYS, CERTIFY_HINT, detectKeys, foundKeysHeading, keyQuestions, keyTarget, type KeyFacts } from '../src/wizard/index.js';
import { isUserError } from '../src/errors.js';
import { Form, type FormValues } from './Form.js';
import { KeyFactsView, shortFingerprint } from './KeyFactsView.js';
import { SelectList } from './SelectList.js';
import { Spinner } from './Spinner.js';
import { Dim, Mark, useTone } from './theme.js';
import type { StepProps } from './types.js';

const FIELDS = keyQuestions();

type Phase = { kind: 'found' } | { kind: 'form' } | { kind: 'certifying' } | { kind: 'generating'; bits: number; days: number } | { kind: 'generated'; facts: KeyFacts; backups: string[]; gitignore: string[] } | { kind: 'error'; message: string; fix?: string };

/** Step 1: reuse the key and certificate found, or make new ones. */
export function KeyStep({ state, env, onDone, onBack, room, compact, active }: StepProps): React.JSX.Element {
  // What is on disk now: what the step started with, then the pair made here (going back to the questions
  // and generating again must replace that pair, not stop at "already exists").
  const [found, setFound] = useState<KeyFacts>(state.data.keys ?? state.progress.keys);
  const [phase, setPhase] = useState<Phase>(found.keyExists || found.certificateExists ? { kind: 'found' } : { kind: 'form' });
  const [answers, setAnswers] = useState<FormValues>({});
  const tone = useTone();
  const rel = (p: string) => path.relative(env.cwd, p) || p;

  const generate = async (values: FormValues) => {
    setAnswers(values);
    const bits = Number(values.bits) as 2048 | 3072 | 4096;
    const days = Number(values.days);
    setPhase({ kind: 'generating', bits, days });
    const subject: CertificateSubject = {};
    for (const field of SUBJECT_FIELDS) subject[field] = values[field] ?? '';
    try {
      // Regenerating replaces the pair; writeKeyAndCertificate keeps the old files as .bak.
      const written = await env.services.generateKeys(env.cwd, { ...keyTarget(found, env.cwd, env.keyDir), bits, days, subject }, env.cancel);
      if (!written) return;
      const facts = detectKeys(written.keyPath, written.certificatePath);
      setFound(facts);
      setPhase({ kind: 'generated', facts, backups: written.backups, gitignore: written.gitignoreAdded });
    } catch (error) {
      if (!isUserError(error)) throw error;
      setPhase({ kind: 'error', message: error.message, fix: error.fix });
    }
  };

  const certify = async () => {
    setPhase({ kind: 'certifying' });
    try {
      const facts = await env.services.certificateFor(found, CERTIFY_DAYS);
      onDone(certifiedSummary(facts, rel), { keys: facts, keyJustCreated: false });
    } catch (error) {
      if (!isUserError(error)) throw error;
      setPhase({ kind: 'error', message: error.message, fix: error.fix });
    }
  };

  useInput(
    (_input, key) => {
      if (phase.kind === 'generated' && key.return) {
        onDone(`${rel(phase.facts.keyPath)} (RSA ${phase.facts.bits}) and ${rel(phase.facts.certificatePath)}, new, ${phase.facts.daysLeft} days`, {
          keys: phase.facts,
          keyJustCreated: true,
          backups: phase.backups,
          gitignoreAdded: phase.gitignore,
        });
      } else if (phase.kind === 'generated' && key.escape) setPhase({ kind: 'form' });
      else if (phase.kind === 'error' && key.return) setPhase({ kind: 'form' });
      else if (phase.kind === 'error' && key.escape) onBack();
    },
    { isActive: active && (phase.kind === 'generated' || phase.kind === 'error') },
  );

  if (phase.kind === 'found') {
    const items = [
      ...(found.usable ? [{ value: 'reuse', label: 'Reuse them', hint: 'the certificate already uploaded to the app keeps working' }] : []),
      ...(canCertify(found) ? [{ value: 'certify', label: 'Make a certificate for this key', hint: CERTIFY_HINT }] : []),
      { value: 'redo', label: found.usable || canCertify(found) ? 'Make a new pair' : 'Make a new pair (needed)', hint: 'the old files are kept as .bak; upload the new certificate in step 2' },
    ];
    return (
      <Box flexDirection="column">
        <Text>{`${foundKeysHeading(found)}:`}</Text>
        <KeyFactsView facts={found} cwd={env.cwd} />
        <Box marginTop={1}>
          <SelectList
            items={items}
            active={active}
            onBack={onBack}
            onSelect={(v) =>
              v === 'reuse'
                ? onDone(`${rel(found.keyPath)} (RSA ${found.bits}) and ${rel(found.certificatePath)}, reused, ${found.daysLeft} days left`, { keys: found, keyJustCreated: false })
                : v === 'certify'
                  ? void certify()
                  : setPhase({ kind: 'form' })
            }
          />
        </Box>
      </Box>
    );
  }
  if (phase.kind === 'form') {
    return (
      <Form
        fields={FIELDS}
        values={answers}
        onSubmit={generate}
        onBack={() => (found.keyExists || found.certificateExists ? setPhase({ kind: 'found' }) : onBack())}
        active={active}
        rows={() => (compact ? room.compact : room.full)}
        columns={room.columns}
      />
    );
  }
  if (phase.kind === 'certifying') return <Spinner label={`Making a certificate for ${rel(found.keyPath)}…`} />;
  if (phase.kind === 'generating') return <Spinner label={`Generating a ${phase.bits}-bit RSA key and a ${phase.days}-day certificate…`} />;
  if (phase.kind === 'error') {
    return (
      <Box flexDirection="column">
        <Text>
          <Mark status="fail" /> <Text color={tone('red')}>{phase.message}</Text>
        </Text>
        {phase.fix && <Dim>{`  fix: ${phase.fix}`}</Dim>}
        <Dim>Enter to try again · Esc back</Dim>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>
        <Mark status="pass" /> Private key  {rel(phase.facts.keyPath)} <Dim>(mode 0600, keep it secret)</Dim>
      </Text>
      <Text>
        <Mark status="pass" /> Certificate  {rel(phase.facts.certificatePath)} <Dim>(upload this one)</Dim>
      </Text>
      <Dim>{`  SHA-256 ${shortFingerprint(phase.facts.fingerprint ?? '')}`}</Dim>
      {phase.backups.map((b) => (
        <Dim key={b}>{`  Kept the old file as ${rel(b)}`}</Dim>
      ))}
      {phase.gitignore.length > 0 && <Dim>{`  Added ${phase.gitignore.join(', ')} to .gitignore`}</Dim>}
      <Text>Enter to continue</Text>
    </Box>
  );
}
