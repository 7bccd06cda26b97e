import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { ChecklistItem } from '../src/wizard/index.js';
import { allDoneHeading, checklistWindow, CHECKLIST_INDENT, progressHeading, tickNoteRows } from './layout.js';
import { Dim, Mark, useTone } from './theme.js';

export interface ChecklistProps {
  items: readonly ChecklistItem[];
  /**
   * Called when an item is ticked; may do something (the demo uploads the certificate) and return a line.
   * Returns undefined when there is nothing to do for the item (it is ticked at once).
   */
  onTick?: (item: ChecklistItem) => Promise<string | undefined> | undefined;
  onComplete: () => void;
  /** Ticked item ids, kept by the parent so coming back to the list keeps the ticks. */
  ticked: ReadonlySet<string>;
  onTickedChange: (ticked: ReadonlySet<string>) => void;
  onBack: () => void;
  active?: boolean;
  /** Terminal rows the checklist may fill and the columns it has (screens/layout.ts): items shown at once. */
  rows?: number;
  columns?: number;
}

/**
 * Setup instructions the user ticks one by one (Enter or Space): the highlighted item shows where it is in
 * Setup and the exact values to type. Ticking the last item goes on.
 */
export function Checklist({ items, onTick, onComplete, onBack, ticked, onTickedChange: setTicked, active = true, rows = 24, columns = 80 }: ChecklistProps): React.JSX.Element {
  const [cursor, setCursorState] = useState(() => Math.max(0, items.findIndex((it) => !ticked.has(it.id))));
  // Several keys in one chunk are handled before a re-render: keep the cursor in a ref too.
  const at = useRef(cursor);
  const setCursor = (next: number | ((c: number) => number)) => {
    at.current = typeof next === 'function' ? next(at.current) : next;
    setCursorState(at.current);
  };
  const [notes, setNotes] = useState<Record<string, string>>({});
  // The ticks and "busy" too: a key handled before the re-render (a quick second Enter) must see the tick
  // the first one made, or it ticks from a stale set and the first tick is lost.
  const done = useRef(ticked);
  const setDone = (next: ReadonlySet<string>) => {
    done.current = next;
    setTicked(next);
  };
  // Keys are ignored while an item's work (the demo's upload) runs.
  const working = useRef(false);
  const tone = useTone();

  const record = (item: ChecklistItem, cursor: number, note: string | undefined) => {
    if (note) setNotes((n) => ({ ...n, [item.id]: note }));
    const next = new Set(done.current).add(item.id);
    setDone(next);
    const after = items.findIndex((it, i) => i > cursor && !next.has(it.id));
    const any = items.findIndex((it) => !next.has(it.id));
    if (any < 0) onComplete();
    else setCursor(after >= 0 ? after : any);
  };

  const tick = () => {
    const cursor = at.current;
    const item = items[cursor];
    if (done.current.has(item.id)) {
      // Un-tick: a second press corrects a mistaken tick.
      const next = new Set(done.current);
      next.delete(item.id);
      setDone(next);
      return;
    }
    const work = onTick?.(item);
    // Nothing to do for this item: tick at once, so the next key already sees it.
    if (!work) return record(item, cursor, undefined);
    working.current = true;
    void work
      .catch((e: unknown) => `Failed: ${e instanceof Error ? e.message : String(e)}`)
      .then((note) => {
        working.current = false;
        record(item, cursor, note);
      });
  };

  useInput(
    (input, key) => {
      if (working.current) return;
      if (key.upArrow || input === 'k') setCursor((c) => Math.max(0, c - 1));
      else if (key.downArrow || input === 'j') setCursor((c) => Math.min(items.length - 1, c + 1));
      else if (key.return && items.every((it) => done.current.has(it.id))) onComplete();
      else if (key.return || input === ' ') tick();
      else if (key.escape || key.backspace || key.delete) onBack();
    },
    { isActive: active },
  );

  // Of this list's items: ticks of items it no longer shows (the integration-user steps) do not count.
  const doneCount = items.filter((item) => ticked.has(item.id)).length;
  const window = checklistWindow(items, rows, columns, tickNoteRows(notes, Boolean(onTick)));
  // One item above the cursor stays in view, when there is room for more than the cursor's.
  const start = Math.max(0, Math.min(cursor - (window > 1 ? 1 : 0), items.length - window));
  const shown = items.slice(start, start + window);
  const current = items[cursor];
  return (
    <Box flexDirection="column">
      {doneCount === items.length ? <Text>{allDoneHeading(items.length)}</Text> : <Dim>{progressHeading(doneCount, items.length)}</Dim>}
      {start > 0 && <Dim>{`  ↑ ${start} more`}</Dim>}
      {shown.map((item) => {
        const i = items.indexOf(item);
        const here = i === cursor;
        return (
          <Text key={item.id} color={here ? tone('cyan') : undefined} bold={here} wrap="truncate-end">
            {here ? '❯ ' : '  '}
            {ticked.has(item.id) ? <Mark status="pass" /> : '○'} {i + 1}. {item.title}
          </Text>
        );
      })}
      {start + window < items.length && <Dim>{`  ↓ ${items.length - start - window} more`}</Dim>}
      <Box flexDirection="column" marginLeft={CHECKLIST_INDENT}>
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
