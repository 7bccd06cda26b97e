import React from 'react';
import { Box, Text } from 'ink';
import { causesHeading, saidLabel, type FailureCard as Card } from '../src/wizard/index.js';
import { Dim, Mark, useTone } from './theme.js';

/**
 * A knowledge-base entry as a card: what happened, the likeliest cause for this setup first, the fix as
 * numbered steps. Printed once (Static), so it can be as long as the entry needs.
 */
export function FailureCard({ card }: { card: Card }): React.JSX.Element {
  const tone = useTone();
  const causes = card.causes;
  return (
    <Box flexDirection="column">
      <Text>
        <Mark status="fail" /> <Text bold color={tone('red')}>{card.title}</Text> <Dim>{`[${card.code}]`}</Dim>
      </Text>
      <Text>{`  ${saidLabel(card)} ${card.said}`}</Text>
      {card.summary && <Dim>{`  ${card.summary}`}</Dim>}
      {card.evidence.map((line) => (
        <Text key={line}>
          {'  '}
          <Mark status="warn" /> {line}
        </Text>
      ))}
      {causes.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{`  ${causesHeading(card.hedged)}`}</Text>
          {causes.map((cause) => (
            <Text key={cause}>{`  • ${cause}`}</Text>
          ))}
        </Box>
      )}
      {card.fix.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>  Fix:</Text>
          {card.fix.map((step, i) => (
            <Text key={step}>{`  ${i + 1}. ${step}`}</Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
