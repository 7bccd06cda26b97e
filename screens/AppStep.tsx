import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import {
  APP_TYPES,
  checkConsumerKey,
  checklistItems,
  consumerKeyWhere,
  foundKeyChoicesFor,
  shortKey,
  ticksOf,
  withTicks,
  type AppType,
} from '../src/wizard/index.js';
import { Checklist } from './Checklist.js';
import { checklistNeedsCompact, tickNoteRows } from './layout.js';
import { SelectList } from './SelectList.js';
import { TextField } from './TextField.js';
import { Dim } from './theme.js';
import type { StepProps } from './types.js';

type Phase = 'found' | 'type' | 'integration' | 'checklist' | 'key';

/** Step 2: which kind of app, the Setup checklist, then the Consumer Key. */
export function AppStep({ state, env, onDone, onBack, onCompact, room, compact, active }: StepProps): React.JSX.Element {
  const found = foundKeyChoicesFor(state);
  const existing = found.key;
  const [phase, setPhase] = useState<Phase>(existing ? 'found' : 'type');
  const [appType, setAppType] = useState<AppType>(state.data.appType ?? 'connected_app');
  const [integrationUser, setIntegrationUser] = useState(Boolean(state.data.integrationUser));
  // Ticks of an earlier visit in this run stay: going back to fix one setting does not mean redoing all. Each
  // app type keeps its own ("connected_app/create"): the two checklists share item ids, not their steps.
  const [ticks, setTicks] = useState<ReadonlySet<string>>(new Set(state.data.checklistTicked ?? []));
  const ticked = ticksOf(ticks, appType);
  const setTicked = (ids: ReadonlySet<string>) => setTicks(withTicks(ticks, appType, ids));
  // The Consumer Key question after the checklist, or straight from "Paste another Consumer Key".
  const [changingKey, setChangingKey] = useState(false);
  const certificatePath = (state.data.keys ?? state.progress.keys).certificatePath;
  const keyJustCreated = Boolean(state.data.keyJustCreated);
  const upload = env.hooks.uploadCertificate;
  /**
   * The checklist takes the compact frame (no recaps, no purpose) when the full one would leave room for
   * fewer than three items beside the tallest item's instructions.
   */
  const checklistCompact = (type = appType, withIntegrationUser = integrationUser) =>
    checklistNeedsCompact(checklistItems(type, certificatePath, withIntegrationUser), room, tickNoteRows({}, Boolean(upload)));
  /** To a phase, with the frame it needs: out of the checklist, back to the full one. */
  const toPhase = (next: Phase, type = appType, withIntegrationUser = integrationUser) => {
    onCompact?.(next === 'checklist' && checklistCompact(type, withIntegrationUser));
    setPhase(next);
  };

  // A resized terminal can need (or no longer need) the compact frame for the open checklist. The rows are
  // read only while it is open (counting them costs wrap-ansi calls).
  const checklistRoom = phase === 'checklist' ? `${room.full}x${room.columns}` : '';
  useEffect(() => {
    if (checklistRoom) onCompact?.(checklistCompact());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checklistRoom]);

  if (phase === 'found' && existing) {
    return (
      <Box flexDirection="column">
        <Text>{`${found.title}.`}</Text>
        {keyJustCreated && <Text>! Step 1 made a new certificate: upload it to the app (go through the checklist).</Text>}
        <Box marginTop={1}>
          <SelectList
            items={found.items}
            initial={found.initial}
            active={active}
            onBack={onBack}
            onSelect={(v) =>
              v === 'reuse' ? onDone(`Consumer Key ${shortKey(existing)}, reused`, { clientId: existing, appJustCreated: found.appJustCreated }) : (setChangingKey(v === 'change'), setPhase(v === 'change' ? 'key' : 'type'))
            }
          />
        </Box>
      </Box>
    );
  }
  if (phase === 'type') {
    return (
      <Box flexDirection="column">
        <Text bold>Which kind of app will you create?</Text>
        <SelectList
          items={APP_TYPES.map((a) => ({ value: a.type, label: a.label, hint: a.hint }))}
          initial={appType}
          active={active}
          onBack={() => (existing ? toPhase('found') : onBack())}
          onSelect={(v) => {
            setAppType(v);
            setPhase('integration');
          }}
        />
      </Box>
    );
  }
  if (phase === 'integration') {
    return (
      <Box flexDirection="column">
        <Text bold>Log in as a dedicated API integration user?</Text>
        <Dim>Least privilege: a free Salesforce Integration user can only use the API, with just the permissions you give it.</Dim>
        <SelectList
          items={[
            { value: 'no', label: 'No, an existing user', hint: 'e.g. your own user while trying things out' },
            { value: 'yes', label: 'Yes, add the integration-user steps', hint: 'license, profile, permission set, app install' },
          ]}
          initial={integrationUser ? 'yes' : 'no'}
          active={active}
          onBack={() => toPhase('type')}
          onSelect={(v) => {
            setIntegrationUser(v === 'yes');
            toPhase('checklist', appType, v === 'yes');
          }}
        />
      </Box>
    );
  }
  if (phase === 'checklist') {
    return (
      <Checklist
        items={checklistItems(appType, certificatePath, integrationUser)}
        active={active}
        ticked={ticked}
        onTickedChange={setTicked}
        rows={compact ? room.compact : room.full}
        columns={room.columns}
        onBack={() => toPhase('integration')}
        onComplete={() => toPhase('key')}
        onTick={upload && ((item) => (item.uploadsCertificate ? upload(certificatePath) : undefined))}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <TextField
        label="Consumer Key"
        initial={env.hooks.prefill?.clientId ?? ''}
        check={checkConsumerKey}
        hint={`${consumerKeyWhere(appType)}; paste it here`}
        active={active}
        columns={room.columns}
        onBack={() => toPhase(changingKey ? 'found' : 'checklist')}
        onSubmit={(clientId) =>
          changingKey
            ? // Only the key changed: the app is as old as it was.
              onDone(`Consumer Key ${shortKey(clientId)}`, { clientId, appJustCreated: found.appJustCreated })
            : onDone(`${APP_TYPES.find((a) => a.type === appType)!.label}${integrationUser ? ' + integration user' : ''}, Consumer Key ${shortKey(clientId)}`, {
                appType,
                integrationUser,
                clientId,
                appJustCreated: true,
                checklistTicked: [...ticks],
              })
        }
      />
    </Box>
  );
}
