import React from 'react';
import { Box, Text } from 'ink';
import { STEP_HELP, stepInfo, type StepId } from '../src/wizard/index.js';
import { Dim } from './theme.js';

/** `?`: what the current step is for and what to watch for. Any of ? Esc Enter closes it. */
export function HelpPanel({ step }: { step: StepId }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      <Text bold>{`Help: ${stepInfo(step).title}`}</Text>
      {STEP_HELP[step].map((line) => (
        <Text key={line}>{`• ${line}`}</Text>
      ))}
      <Dim>? Esc or Enter closes this help</Dim>
    </Box>
  );
}
