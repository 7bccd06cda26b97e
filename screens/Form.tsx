import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { Question } from '../src/wizard/index.js';
import { answeredToKeep, questionRows } from './layout.js';
import { SelectList } from './SelectList.js';
import { Spinner } from './Spinner.js';
import { TextField } from './TextField.js';
import { Dim } from './theme.js';

export type FormValues = Record<string, string>;

/** A question of a form: the UI-free Question of src/wizard. */
export type FormField = Question;

export interface FormProps {
  fields: readonly FormField[];
  /** Answers already known (resume, or coming back to the form). */
  values?: FormValues;
  onSubmit: (values: FormValues) => void;
  /** Going back from the first question. */
  onBack: () => void;
  active?: boolean;
  /** How many answered questions to keep on screen above the current one, at most. */
  keepAnswered?: number;
  /**
   * Terminal rows the form may fill (screens/layout.ts), read only once answers are kept above a question,
   * and its columns: fewer answers kept when short.
   */
  rows?: () => number;
  columns?: number;
}

/**
 * Questions one at a time, answers kept above. Enter goes on, Esc goes
 * back one question; from the first, back to the previous step.
 */
export function Form({ fields, values: start = {}, onSubmit, onBack, active = true, keepAnswered: most = 3, rows, columns = 80 }: FormProps): React.JSX.Element {
  const [values, setValues] = useState<FormValues>(start);
  const [index, setIndex] = useState(0);
  const visible = fields.filter((f) => !f.when || f.when(values));
  const field = visible[Math.min(index, visible.length - 1)];
  // The pre-filled answer, computed once per question: synchronous defaults render at once (no flash, no
  // moment without an input handler); a fetched default shows a spinner until it arrives.
  const initial = useMemo(() => (values[field.id] as string | undefined) ?? field.initial?.(values) ?? '', [field.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const [fetched, setFetched] = useState<{ id: string; value: string; hint?: string } | undefined>();
  useEffect(() => {
    if (typeof initial === 'string') return;
    let live = true;
    const id = field.id;
    void initial.then((r) => live && setFetched({ id, ...r }), () => live && setFetched({ id, value: '' }));
    return () => {
      live = false;
    };
  }, [initial, field.id]);
  const loaded = typeof initial === 'string' ? { id: field.id, value: initial, hint: undefined } : fetched?.id === field.id ? fetched : undefined;

  const answer = (value: string) => {
    const next = { ...values, [field.id]: value };
    setValues(next);
    const nextVisible = fields.filter((f) => !f.when || f.when(next));
    const position = nextVisible.findIndex((f) => f.id === field.id);
    if (position + 1 >= nextVisible.length) onSubmit(next);
    else setIndex(position + 1);
  };
  const back = () => {
    if (index === 0) return onBack();
    setIndex(index - 1);
  };

  const hint = typeof field.hint === 'function' ? field.hint(values) : field.hint;
  const keepAnswered = rows === undefined || index === 0 ? most : answeredToKeep(rows(), questionRows(field, loaded?.hint ?? hint, columns), most);
  const answered = keepAnswered > 0 ? visible.slice(0, index).slice(-keepAnswered) : [];
  return (
    <Box flexDirection="column">
      {index > keepAnswered && <Dim>  … {index - keepAnswered} earlier</Dim>}
      {answered.map((f) => (
        <Text key={f.id} wrap="truncate-middle">
          <Dim>{`  ${f.label}: `}</Dim>
          <Text>{f.options?.find((o) => o.value === values[f.id])?.label ?? values[f.id]}</Text>
        </Text>
      ))}
      {!loaded || loaded.id !== field.id ? (
        <Spinner label={field.loading ?? 'One moment…'} />
      ) : field.options ? (
        <Box flexDirection="column">
          <Text bold>{field.label}</Text>
          <SelectList key={field.id} items={field.options} initial={loaded.value} onSelect={answer} onBack={back} active={active} />
        </Box>
      ) : (
        <TextField
          key={field.id}
          label={field.label}
          initial={loaded.value}
          hint={loaded.hint ?? hint}
          check={field.check ? (v) => field.check!(v, values) : undefined}
          onSubmit={answer}
          onBack={back}
          active={active}
          columns={columns}
        />
      )}
    </Box>
  );
}
