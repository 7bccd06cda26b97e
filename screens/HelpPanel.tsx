import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { STEP_HELP, stepInfo, type StepId } from '../src/wizard/index.js';
import { helpWindow, prose } from './layout.js';
import { Dim } from './theme.js';

/**
 * `?`: what the current step is for and what to watch for (the wizard's footer says how to close it). On a
 * terminal too short for every point, ↑ and ↓ scroll through them.
 */
export function HelpPanel({ step, rows = 24, columns = 80 }: { step: StepId; rows?: number; columns?: number }): React.JSX.Element {
  const points = STEP_HELP[step];
  const [first, setFirst] = useState(0);
  const shown = helpWindow(points, first, rows, columns);
  const after = points.length - first - shown.length;
  // From the state itself, not this render's values: a second key can arrive before the handler is renewed.
  useInput((_input, key) => {
    if (key.downArrow) setFirst((f) => (f + helpWindow(points, f, rows, columns).length < points.length ? f + 1 : f));
    else if (key.upArrow) setFirst((f) => Math.max(0, f - 1));
  });
  return (
    <Box flexDirection="column">
      <Text bold>{`Help: ${stepInfo(step).title}`}</Text>
      {first > 0 && <Dim>{`  ↑ ${first} more`}</Dim>}
      {shown.map((line) => (
        <Box key={line}>
          <Box width={2} flexShrink={0}>
            <Text>•</Text>
          </Box>
          <Text>{prose(line, columns - 2)}</Text>
        </Box>
      ))}
      {after > 0 && <Dim>{`  ↓ ${after} more (↓ scrolls)`}</Dim>}
    </Box>
  );
}
