import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Static, Text, useInput } from 'ink';
import { AUTO_RETRY, autoRetryUntil, failureCard, knowledgeFrom, shouldAutoRetry, stepForNumber, stepInfo, type FailureCard as Card, type StepId } from '../src/wizard/index.js';
import { FailureCard } from './FailureCard.js';
import { SelectList } from './SelectList.js';
import { Spinner } from './Spinner.js';
import { useCountdown } from './useCountdown.js';
import { Dim, Mark } from './theme.js';
import type { StepProps } from './types.js';

export interface TokenStepProps extends StepProps {
  onGoTo: (step: StepId, because?: string) => void;
  onDoctor: () => void;
  onQuit: (code: number) => void;
}

type Phase = { kind: 'testing'; attempt: number } | { kind: 'failed'; card: Card } | { kind: 'waiting'; card: Card; attempt: number };

/** Step 4: the live token test; on failure the knowledge-base card and what to do next. */
export function TokenStep({ state, env, onDone, onBack, onGoTo, onDoctor, onQuit, onCompact, room, active }: TokenStepProps): React.JSX.Element {
  const [phase, setPhase] = useState<Phase>({ kind: 'testing', attempt: 1 });
  // Each failure's card is printed once, above the live region (<Static>): it stays readable in the
  // scrollback however short the terminal, while only the actions are redrawn.
  const [printed, setPrinted] = useState<{ id: number; card: Card }[]>([]);
  const [deadline, setDeadline] = useState<number | null>(null);
  const autoUntil = useRef<number | null>(null);
  // Esc during the request goes back to step 3; its answer, when it comes, is then ignored.
  const abandoned = useRef(false);
  const host = (() => {
    try {
      return new URL(state.data.config?.tokenUrl ?? '').host;
    } catch {
      return 'Salesforce';
    }
  })();

  const run = useCallback(
    async (attempt: number) => {
      onCompact?.(false);
      setPhase({ kind: 'testing', attempt });
      try {
        const result = await env.services.tokenTest(env.cwd, env.configPath);
        if (env.cancel.cancelled || abandoned.current) return;
        onDone(`Token issued for ${result.username}`, { result });
      } catch (error) {
        if (env.cancel.cancelled || abandoned.current) return;
        const card = failureCard(error, knowledgeFrom(state.data, env.cwd));
        // The card and the actions in the compact frame, asked for with the phase (one render): a first frame
        // with the recaps as well could fill a short terminal, and Ink would then clear the scrollback, card
        // included.
        onCompact?.(true);
        // Keep retrying while the answer is one that propagation can change, within the 10-minute window.
        if (shouldAutoRetry(card, autoUntil.current, Date.now())) {
          setDeadline(Date.now() + AUTO_RETRY.intervalMs);
          setPhase({ kind: 'waiting', card, attempt });
        } else {
          autoUntil.current = null;
          setDeadline(null);
          setPrinted((p) => [...p, { id: p.length, card }]);
          setPhase({ kind: 'failed', card });
        }
      }
    },
    [env, onDone, onCompact, state.data],
  );

  useEffect(() => {
    void run(1);
    // Run once on mount; retries are explicit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const seconds = useCountdown(phase.kind === 'waiting' ? deadline : null, () => {
    if (phase.kind === 'waiting') void run(phase.attempt + 1);
  });

  useInput(
    (input, key) => {
      if (phase.kind === 'testing' && key.escape) {
        abandoned.current = true;
        onBack();
      } else if (phase.kind === 'waiting' && (key.escape || input === 's')) {
        autoUntil.current = null;
        setDeadline(null);
        setPhase({ kind: 'failed', card: phase.card });
      }
    },
    { isActive: active },
  );

  const cards = (
    <Static items={printed}>
      {(p) => (
        <Box key={p.id} flexDirection="column" marginBottom={1}>
          <FailureCard card={p.card} columns={room.columns} />
        </Box>
      )}
    </Static>
  );
  return (
    <>
      {cards}
      {live()}
    </>
  );

  /** The part redrawn live (called, not a component, so nothing remounts on re-render). */
  function live(): React.JSX.Element {
  if (phase.kind === 'testing') {
    return <><Spinner label={`Requesting a token from ${host}${phase.attempt > 1 ? ` (attempt ${phase.attempt})` : ''}…`} /></>;
  }
  if (phase.kind === 'waiting') {
    const until = new Date(autoUntil.current ?? Date.now()).toTimeString().slice(0, 5);
    return (
      <Box flexDirection="column">
        <Text>
          <Mark status="fail" /> {`${phase.card.title} [${phase.card.code}]`}
        </Text>
        <Spinner label={`Retrying in ${seconds} s (attempt ${phase.attempt + 1}; stops at ${until})`} />
        <Dim>Salesforce takes 2-10 minutes to apply a new app. Esc stops retrying.</Dim>
      </Box>
    );
  }
  const fixStep = phase.card.fixStep ? stepForNumber(phase.card.fixStep) : undefined;
  const items = [
    { value: 'retry', label: 'Try again' },
    ...(phase.card.autoRetry ? [{ value: 'auto', label: 'Retry every 30 s for up to 10 minutes', hint: 'Salesforce takes 2-10 minutes to apply a new app' }] : []),
    ...(fixStep && fixStep !== 'test' ? [{ value: 'goto', label: `Go back to step ${stepInfo(fixStep).number} (${stepInfo(fixStep).title})`, hint: 'the step that fixes this' }] : []),
    { value: 'doctor', label: 'Run the full doctor', hint: 'every check, with evidence' },
    { value: 'quit', label: 'Quit', hint: 'your files stay; run `sf-setup test` after fixing' },
  ];
  return (
    <Box flexDirection="column">
      <Text>
        <Mark status="fail" /> {`${phase.card.title}: what next?`}
      </Text>
      <Box>
        <SelectList
          items={items}
          initial={phase.card.autoRetry ? 'auto' : fixStep ? 'goto' : 'retry'}
          active={active}
          onBack={onBack}
          onSelect={(choice) => {
            if (choice === 'retry') void run(1);
            else if (choice === 'auto') {
              autoUntil.current = autoRetryUntil(Date.now());
              void run(1);
            } else if (choice === 'goto' && fixStep) onGoTo(fixStep, phase.card.code);
            else if (choice === 'doctor') onDoctor();
            else onQuit(1);
          }}
        />
      </Box>
    </Box>
  );
}
}
