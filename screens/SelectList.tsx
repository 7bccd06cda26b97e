import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { Dim, useTone } from './theme.js';

export interface SelectItem<V extends string = string> {
  value: V;
  label: string;
  /** Shown under the highlighted item. */
  hint?: string;
}

export interface SelectListProps<V extends string> {
  items: readonly SelectItem<V>[];
  initial?: V;
  onSelect: (value: V) => void;
  /** Esc or Backspace. */
  onBack?: () => void;
  active?: boolean;
}

/** Arrow keys (or j/k) to move, Enter to choose, Esc or Backspace to go back. */
export function SelectList<V extends string>({ items, initial, onSelect, onBack, active = true }: SelectListProps<V>): React.JSX.Element {
  const start = Math.max(0, items.findIndex((i) => i.value === initial));
  const [index, setIndexState] = useState(start);
  // Keys that arrive in one chunk (Down Down Enter) are handled before React re-renders: the ref sees each move.
  const current = useRef(start);
  const setIndex = (next: (i: number) => number) => {
    current.current = next(current.current);
    setIndexState(current.current);
  };
  const tone = useTone();
  useInput(
    (input, key) => {
      if (key.upArrow || input === 'k') setIndex((i) => (i - 1 + items.length) % items.length);
      else if (key.downArrow || input === 'j') setIndex((i) => (i + 1) % items.length);
      else if (key.return) onSelect(items[current.current].value);
      else if (key.escape || key.backspace || key.delete) onBack?.();
      else if (/^[1-9]$/.test(input) && Number(input) <= items.length) setIndex(() => Number(input) - 1);
    },
    { isActive: active },
  );
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Box key={item.value} flexDirection="column">
          <Text color={i === index ? tone('cyan') : undefined} bold={i === index}>
            {i === index ? '❯ ' : '  '}
            {item.label}
          </Text>
          {i === index && item.hint && (
            <Box marginLeft={4}>
              <Dim>{item.hint}</Dim>
            </Box>
          )}
        </Box>
      ))}
    </Box>
  );
}
