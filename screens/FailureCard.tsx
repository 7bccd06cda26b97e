import React from 'react';
import { Box, Text } from 'ink';
import { causesHeading, saidLabel, type FailureCard as Card } from '../src/wizard/index.js';
import { Dim, Mark, useTone } from './theme.js';

/**
 * A knowledge-base entry as a card: what happened, the likeliest cause for this setup first, the fix as
 * numbered steps. Printed once (Static), so it can be as long as the entry needs.
 */
export function FailureCard({ card, columns }: { card: Card; columns?: number }): React.JSX.Element {
  const tone = useTone();
  const causes = card.causes;
  // Printed in <Static>, which is laid out outside the screen's box: without the terminal's width, a line led
  // by a bullet would be as wide as its text, and the terminal would cut it anywhere.
  return (
    <Box flexDirection="column" width={columns}>
      <Text>
        <Mark status="fail" /> <Text bold color={tone('red')}>{card.title}</Text> <Dim>{`[${card.code}]`}</Dim>
      </Text>
      <Hanging lead="  ">{`${saidLabel(card)} ${card.said}`}</Hanging>
      {card.summary && (
        <Hanging lead="  ">
          <Dim>{card.summary}</Dim>
        </Hanging>
      )}
      {card.evidence.map((line) => (
        <Hanging key={line} lead={<Text>{'  '}<Mark status="warn" />{' '}</Text>}>
          {line}
        </Hanging>
      ))}
      {causes.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{`  ${causesHeading(card.hedged)}`}</Text>
          {causes.map((cause) => (
            <Hanging key={cause} lead="  • ">
              {cause}
            </Hanging>
          ))}
        </Box>
      )}
      {card.fix.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>  Fix:</Text>
          {card.fix.map((step, i) => (
            <Hanging key={step} lead={`  ${i + 1}. `}>
              {step}
            </Hanging>
          ))}
        </Box>
      )}
    </Box>
  );
}

/** A line led by a bullet or number, its wrapped lines indented under the text, not at column 0. */
function Hanging({ lead, children }: { lead: React.ReactNode; children: React.ReactNode }): React.JSX.Element {
  return (
    <Box>
      <Box flexShrink={0}>{typeof lead === 'string' ? <Text>{lead}</Text> : lead}</Box>
      <Box flexShrink={1}>{typeof children === 'string' ? <Text>{children}</Text> : children}</Box>
    </Box>
  );
}
