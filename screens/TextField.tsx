import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { FieldCheck } from '../src/wizard/index.js';
import { useKeyScope } from './keyScope.js';
import { fieldMessageShown, fieldValueShown } from './layout.js';
import { Dim, Mark, useTone } from './theme.js';

export interface TextFieldProps {
  label: string;
  /** Pre-filled value (a default or what the files hold); Enter accepts it. */
  initial?: string;
  hint?: string;
  /** Checked on every keystroke: an error blocks Enter and says why. */
  check?: (value: string) => FieldCheck;
  onSubmit: (value: string) => void;
  /** Esc, or Backspace on an empty field. */
  onBack?: () => void;
  active?: boolean;
  /** The terminal's width: given, a value longer than the field's rows shows its end (screens/layout.ts). */
  columns?: number;
}

/**
 * `value` after a chunk of typed text. A held Backspace under load arrives as one chunk ("\x7f\x7f\x7f"), which
 * Ink does not read as Backspace: each one (DEL or ^H) deletes the character before it, in order with the
 * text around it. Other control characters are dropped.
 */
function edited(value: string, chunk: string): string {
  const chars = [...value];
  for (const char of chunk) {
    if (char === '\u007f' || char === '\b') chars.pop();
    else if (!/[\u0000-\u001f]/.test(char)) chars.push(char);
  }
  return chars.join('');
}

/** A one-line text input with live validation. Paste works (many characters arrive at once). */
export function TextField({ label, initial = '', hint, check, onSubmit, onBack, active = true, columns }: TextFieldProps): React.JSX.Element {
  const [value, setValueState] = useState(initial);
  // Typed text and Enter can arrive in one chunk, handled before React re-renders: read the latest value here.
  const latest = useRef(initial);
  const setValue = (next: string | ((v: string) => string)) => {
    latest.current = typeof next === 'function' ? next(latest.current) : next;
    setValueState(latest.current);
  };
  const [tried, setTried] = useState(false);
  // A pre-filled value is a suggestion until edited: typing replaces it (as --plain's default does), Backspace
  // edits it. Shown dim while untouched.
  const [pristine, setPristineState] = useState(initial !== '');
  const pristineRef = useRef(initial !== '');
  const setPristine = (next: boolean) => {
    pristineRef.current = next;
    setPristineState(next);
  };
  // A value with a warning is taken on the second Enter: the first shows the warning and waits.
  const [warnedFor, setWarnedFor] = useState<string | null>(null);
  const warnedRef = useRef<string | null>(null);
  /** Enter: submit, unless the check refuses the value or warns about it for the first time. */
  const submit = (candidate: string) => {
    setTried(true);
    const checked = check ? check(candidate) : { ok: true };
    if (!checked.ok) return;
    if (checked.warning && warnedRef.current !== candidate) {
      warnedRef.current = candidate;
      setWarnedFor(candidate);
      return;
    }
    onSubmit(candidate.trim());
  };
  const scope = useKeyScope();
  const tone = useTone();
  useEffect(() => {
    // An untouched suggestion is not typing: `?` still opens the help.
    scope.typing.current = active && value.length > 0 && !pristine;
    return () => {
      scope.typing.current = false;
    };
  }, [active, value, pristine, scope]);

  const result = check ? check(value) : { ok: true };
  useInput(
    (input, key) => {
      const value = latest.current;
      if (key.ctrl && input === 'c') return;
      if (key.escape) return onBack?.();
      if (key.return) return submit(value);
      if (key.backspace || key.delete) {
        // On an empty field it does nothing: a held Backspace that clears a bad paste must not land on the
        // previous step. Esc goes back.
        setPristine(false);
        if (value.length > 0) setValue((v) => edited(v, '\u007f'));
        return;
      }
      if (key.ctrl && input === 'u') {
        setPristine(false);
        return setValue('');
      }
      if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab || key.ctrl || key.meta) return;
      // `?` on an empty field is help (the wizard shows it); no field here accepts a leading `?`.
      if (input === '?' && (value.length === 0 || pristineRef.current)) return;
      // Fast typing or a paste can arrive as one chunk with the Enter inside ("abc\r"): take the text, then
      // submit as Enter would. Other control characters are dropped.
      const newline = /[\r\n]/.exec(input);
      const typed = newline ? input.slice(0, newline.index) : input;
      // The first text typed into an untouched suggestion replaces it; a Backspace first edits it.
      const base = pristineRef.current && typed && !/^[\u007f\b]/.test(typed) ? '' : value;
      if (typed) setPristine(false);
      const next = edited(base, typed);
      if (next !== value) setValue(next);
      if (newline) submit(next);
    },
    { isActive: active },
  );

  const showError = !result.ok && (tried || value.length > 0);
  const shownWarning = (text: string) => (columns ? fieldMessageShown(text, columns) : text);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{label}</Text>
        <Text>: </Text>
        <Text dimColor={pristine && tone('gray') !== undefined}>{columns ? fieldValueShown(label, value, columns) : value}</Text>
        {active && <Text inverse> </Text>}
      </Text>
      {showError && (
        <Text>
          <Mark status="fail" /> <Text color={tone('red')}>{columns ? fieldMessageShown(result.error ?? '', columns) : result.error}</Text>
        </Text>
      )}
      {result.ok && result.warning && (
        <Text>
          <Mark status="warn" /> <Text color={tone('yellow')}>{shownWarning(warnedFor === value ? `Enter again to keep it: ${result.warning}` : result.warning)}</Text>
        </Text>
      )}
      {hint && <Dim>{hint}</Dim>}
    </Box>
  );
}
