import React from 'react';
import { Box, Text } from 'ink';
import { STEPS, stepInfo, stepStatus, type WizardState } from '../src/wizard/index.js';
import { Dim, Mark } from './theme.js';

const SHORT = { keys: 'Keys', app: 'App', config: 'Config', test: 'Test' } as const;

/** Where the user is: `2/4 App in Salesforce`, and a strip with every step's state (✓ done, ▸ here, · to do). */
export function Header({ state, banner }: { state: WizardState; banner?: string }): React.JSX.Element {
  const current = state.step === 'finished' ? undefined : stepInfo(state.step);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text bold>sf-setup</Text>
        {current ? <Text>{`  ${current.number}/4 ${current.title}`}</Text> : <Text>  Done</Text>}
      </Text>
      <Text>
        {STEPS.map((s, i) => {
          const status = stepStatus(state, s.id);
          // The step the user is on is always ▸, also when it was found done on disk and is offered for reuse
          // (its own screen says "Found ..."): bold and underline alone are lost without colour.
          const mark = status === 'current' ? 'current' : status === 'done' || status === 'found' ? 'pass' : 'todo';
          return (
            <Text key={s.id}>
              {i > 0 ? '  ' : ''}
              <Mark status={mark} /> <Text bold={status === 'current'} underline={status === 'current'}>{`${s.number} ${SHORT[s.id]}`}</Text>
            </Text>
          );
        })}
      </Text>
      {/* One line at most: wrapped on a 60-column terminal it pushed the header off the top of step 2. */}
      {banner && (
        <Text wrap="truncate-end">
          <Dim>{banner}</Dim>
        </Text>
      )}
    </Box>
  );
}
