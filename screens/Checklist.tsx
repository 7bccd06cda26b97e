import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { ChecklistItem } from '../src/wizard/index.js';
import { Dim, Mark, useTone } from './theme.js';

export interface ChecklistProps {
  items: readonly ChecklistItem[];
  /** Called when an item is ticked; may do something (the demo uploads the certificate) and return a line. */
  onTick?: (item: ChecklistItem) => Promise<string | undefined>;
  onComplete: () => void;
  /** Ticked item ids, kept by the parent so coming back to the list keeps the ticks. */
  ticked: ReadonlySet<string>;
  onTickedChange: (ticked: ReadonlySet<string>) => void;
  onBack: () => void;
  active?: boolean;
  /** Items shown at once (short terminals). */
  window?: number;
}

/**
 * Setup instructions the user ticks one by one (Enter or Space): the highlighted item shows where it is in
 * Setup and the exact values to type. Ticking the last item goes on.
 */
export function Checklist({ items, onTick, onComplete, onBack, ticked, onTickedChange: setTicked, active = true, window = 5 }: ChecklistProps): React.JSX.Element {
  const [cursor, setCursorState] = useState(() => Math.max(0, items.findIndex((it) => !ticked.has(it.id))));
  // Several keys in one chunk are handled before a re-render: keep the cursor in a ref too.
  const at = useRef(cursor);
  const setCursor = (next: number | ((c: number) => number)) => {
    at.current = typeof next === 'function' ? next(at.current) : next;
    setCursorState(at.current);
  };
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const tone = useTone();

  const tick = async () => {
    const cursor = at.current;
    const item = items[cursor];
    if (ticked.has(item.id)) {
      // Un-tick: a second press corrects a mistaken tick.
      const next = new Set(ticked);
      next.delete(item.id);
      setTicked(next);
      return;
    }
    setBusy(true);
    const note = await onTick?.(item).catch((e: unknown) => `Failed: ${e instanceof Error ? e.message : String(e)}`);
    setBusy(false);
    if (note) setNotes((n) => ({ ...n, [item.id]: note }));
    const next = new Set(ticked).add(item.id);
    setTicked(next);
    const after = items.findIndex((it, i) => i > cursor && !next.has(it.id));
    const any = items.findIndex((it) => !next.has(it.id));
    if (any < 0) onComplete();
    else setCursor(after >= 0 ? after : any);
  };

  useInput(
    (input, key) => {
      if (busy) return;
      if (key.upArrow || input === 'k') setCursor((c) => Math.max(0, c - 1));
      else if (key.downArrow || input === 'j') setCursor((c) => Math.min(items.length - 1, c + 1));
      else if (key.return && items.every((it) => ticked.has(it.id))) onComplete();
      else if (key.return || input === ' ') void tick();
      else if (key.escape || key.backspace || key.delete) onBack();
    },
    { isActive: active },
  );

  const start = Math.max(0, Math.min(cursor - 1, items.length - window));
  const shown = items.slice(start, start + window);
  const current = items[cursor];
  return (
    <Box flexDirection="column">
      <Dim>{`Do each in Salesforce Setup, then tick it (Enter): ${ticked.size}/${items.length} done`}</Dim>
      {ticked.size === items.length && <Text>All done: Enter to go on (Space un-ticks)</Text>}
      {start > 0 && <Dim>{`  ↑ ${start} more`}</Dim>}
      {shown.map((item) => {
        const i = items.indexOf(item);
        const here = i === cursor;
        return (
          <Text key={item.id} color={here ? tone('cyan') : undefined} bold={here}>
            {here ? '❯ ' : '  '}
            {ticked.has(item.id) ? <Mark status="pass" /> : '○'} {i + 1}. {item.title}
          </Text>
        );
      })}
      {start + window < items.length && <Dim>{`  ↓ ${items.length - start - window} more`}</Dim>}
      <Box flexDirection="column" marginLeft={4} marginTop={0}>
        {current.path && <Text>{current.path}</Text>}
        {current.values.map((v, i) => (
          <Text key={`${v.label}${i}`}>
            <Dim>{`${v.label}: `}</Dim>
            <Text bold>{v.value}</Text>
          </Text>
        ))}
        {current.note && <Dim>{current.note}</Dim>}
        {notes[current.id] && (
          <Text>
            <Mark status="pass" /> {notes[current.id]}
          </Text>
        )}
      </Box>
    </Box>
  );
}
