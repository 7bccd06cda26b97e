import React, { createContext, useContext } from 'react';
import { Text, type TextProps } from 'ink';

/** Colour on or off for the whole wizard (NO_COLOR, --no-color, or not a terminal turn it off). */
export interface Theme {
  color: boolean;
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

export type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

/** A colour prop that disappears without colour: every status also has a symbol, so nothing is lost. */
export function useTone(): (tone: Tone) => Tone | undefined {
  const { color } = useTheme();
  return (tone) => (color ? tone : undefined);
}

const SYMBOL = { pass: '✓', warn: '!', fail: '✗', todo: '·', current: '▸' } as const;
const TONE: Record<keyof typeof SYMBOL, Tone | undefined> = { pass: 'green', warn: 'yellow', fail: 'red', todo: 'gray', current: 'cyan' };

/** A status symbol (✓ ! ✗ · ▸), coloured when colour is on. */
export function Mark({ status }: { status: keyof typeof SYMBOL }): React.JSX.Element {
  const tone = useTone();
  const t = TONE[status];
  return <Text color={t ? tone(t) : undefined}>{SYMBOL[status]}</Text>;
}

/** Secondary text: dim with colour; plain without (dim is an SGR attribute NO_COLOR users may not want). */
export function Dim({ children, wrap }: { children: React.ReactNode; wrap?: TextProps['wrap'] }): React.JSX.Element {
  const { color } = useTheme();
  return (
    <Text dimColor={color} wrap={wrap}>
      {children}
    </Text>
  );
}
