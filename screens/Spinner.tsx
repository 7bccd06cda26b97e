import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import { useTone } from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner and a label: a few lines instead of a dependency. */
export function Spinner({ label }: { label: string }): React.JSX.Element {
  const [frame, setFrame] = useState(0);
  const tone = useTone();
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 80);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text>
      <Text color={tone('cyan')}>{FRAMES[frame]}</Text> {label}
    </Text>
  );
}
