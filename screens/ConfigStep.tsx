import path from 'node:path';
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { OrgConfig } from '../src/config/index.js';
import { isUserError } from '../src/errors.js';
import { configQuestions, configValues, previewHeading, type ConfigPreview } from '../src/wizard/index.js';
import { Form, type FormField, type FormValues } from './Form.js';
import { fitBlock, textLines } from './layout.js';
import { SelectList } from './SelectList.js';
import { Spinner } from './Spinner.js';
import { Dim, Mark, useTone } from './theme.js';
import type { StepProps } from './types.js';

const WRITE_NOTE = 'Written atomically; the key and the config are added to .gitignore.';

/** The preview's body as lines: the new file's JSON, or each change (`  field: from → to`). */
function previewLines(p: ConfigPreview): string[] {
  if (!p.exists) return p.text.split('\n').map((line) => `  ${line}`);
  if (!p.changes.length) return ['  nothing changes'];
  return p.changes.map((c) => `  ${c.field}: ${c.from === undefined ? '(none)' : String(c.from)} → ${String(c.to)}`);
}

type Phase =
  | { kind: 'unreadable' }
  | { kind: 'settingAside' }
  | { kind: 'found' }
  | { kind: 'form' }
  | { kind: 'preview'; preview: ConfigPreview; values: Partial<OrgConfig> }
  | { kind: 'writing' }
  | { kind: 'error'; message: string; fix?: string };

/** Step 3: environment, username, instance, API version, key path; preview; write atomically. */
export function ConfigStep({ state, env, onDone, onBack, onCompact, room, compact, active }: StepProps): React.JSX.Element {
  const existing = state.progress.config;
  const clientId = state.data.clientId ?? existing.values.clientId ?? '';
  const keyPath = (state.data.keys ?? state.progress.keys).keyPath;
  const reusable = existing.complete && existing.values.clientId === clientId && !state.data.keyJustCreated;
  const [phase, setPhase] = useState<Phase>(existing.unreadable ? { kind: 'unreadable' } : reusable ? { kind: 'found' } : { kind: 'form' });
  /** Where an unreadable config was set aside, said above the questions. */
  const [setAside, setSetAside] = useState<string | undefined>();
  const [answers, setAnswers] = useState<FormValues>({});
  const tone = useTone();
  const rel = (p: string) => path.relative(env.cwd, p) || p;
  const heading = (p: ConfigPreview) => previewHeading(p, rel(p.path));
  const fields: FormField[] = configQuestions({
    existing: existing.values,
    prefill: env.hooks.prefill,
    configDir: path.dirname(env.configPath),
    appType: state.data.appType,
    keyPath,
    latestApiVersion: env.services.latestApiVersion,
  });

  const preview = async (values: FormValues) => {
    setAnswers(values);
    const config = configValues(values, clientId, existing.values);
    const shown = await env.services.previewConfig(env.configPath, config);
    // Asked for with the phase (one render): a first frame too tall would make Ink clear the scrollback.
    onCompact?.(previewFit(shown).compact);
    setPhase({ kind: 'preview', preview: shown, values: config });
  };
  /** Counted from the current size each time (the terminal may be resized while the preview is open). */
  const previewFit = (p: ConfigPreview) => fitBlock(previewLines(p), WRITE_NOTE, 2 + textLines(heading(p), room.columns), room);
  const fit = phase.kind === 'preview' ? previewFit(phase.preview) : undefined;
  useEffect(() => {
    if (fit) onCompact?.(fit.compact);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fit?.compact]);
  const toForm = () => {
    onCompact?.(false);
    setPhase({ kind: 'form' });
  };
  const write = async (values: Partial<OrgConfig>) => {
    onCompact?.(false);
    setPhase({ kind: 'writing' });
    try {
      const saved = await env.services.saveConfig(env.configPath, values);
      const what = saved.created ? 'Wrote' : saved.changed.length ? `Updated (${saved.changed.join(', ')})` : 'Kept';
      const ignored = saved.gitignoreAdded.length ? `; .gitignore += ${saved.gitignoreAdded.join(', ')}` : '; already in .gitignore';
      const kept = setAside ? `; the unreadable one is ${rel(setAside)}` : '';
      onDone(`${what} ${rel(saved.path)}${ignored}${kept}`, {
        configPath: saved.path,
        config: saved.values,
        configCreated: saved.created,
        gitignoreAdded: [...(state.data.gitignoreAdded ?? []), ...saved.gitignoreAdded],
      });
    } catch (error) {
      if (!isUserError(error)) throw error;
      setPhase({ kind: 'error', message: error.message, fix: error.fix });
    }
  };

  if (phase.kind === 'unreadable') {
    // The phase starts only when the file is unreadable (useState above).
    const unreadable = existing.unreadable!;
    return (
      <Box flexDirection="column">
        <Text>
          <Mark status="fail" /> {unreadable.message}
        </Text>
        {unreadable.fix && <Dim>{`  fix: ${unreadable.fix}`}</Dim>}
        <Box marginTop={1}>
          <SelectList
            items={[
              { value: 'aside', label: 'Set it aside (kept as .bak) and write a new one', hint: 'nothing is lost' },
              { value: 'back', label: 'Go back', hint: 'or Ctrl+C to quit and fix the file by hand' },
            ]}
            active={active}
            onBack={onBack}
            onSelect={(choice) => {
              if (choice === 'back') return onBack();
              // One rename: the list is gone while it runs, so a second Enter cannot start another.
              setPhase({ kind: 'settingAside' });
              void env.services.setAsideConfig(existing.path).then(
                (backup) => {
                  setSetAside(backup);
                  setPhase({ kind: 'form' });
                },
                (error: unknown) => setPhase({ kind: 'error', message: isUserError(error) ? error.message : String(error), fix: isUserError(error) ? error.fix : undefined }),
              );
            }}
          />
        </Box>
      </Box>
    );
  }
  if (phase.kind === 'found') {
    const v = existing.values;
    return (
      <Box flexDirection="column">
        <Text>{`Found ${rel(existing.path)}:`}</Text>
        <Dim>{`  ${v.username} at ${v.tokenUrl}`}</Dim>
        <Dim>{`  instance ${v.instanceUrl}, API ${v.apiVersion}, key ${v.privateKeyPath}`}</Dim>
        <Box marginTop={1}>
          <SelectList
            items={[
              { value: 'reuse', label: 'Reuse it' },
              { value: 'edit', label: 'Change it', hint: 'each field is shown with its current value' },
            ]}
            active={active}
            onBack={onBack}
            onSelect={(choice) =>
              choice === 'reuse' ? onDone(`${rel(existing.path)}, reused (${v.username})`, { configPath: existing.path, config: v }) : setPhase({ kind: 'form' })
            }
          />
        </Box>
      </Box>
    );
  }
  if (phase.kind === 'form') {
    return (
      <Form
        fields={fields}
        values={answers}
        onSubmit={(v) => void preview(v)}
        onBack={() => (reusable ? setPhase({ kind: 'found' }) : onBack())}
        active={active}
        keepAnswered={3}
        rows={() => (compact ? room.compact : room.full)}
        columns={room.columns}
      />
    );
  }
  if (phase.kind === 'preview') {
    const { preview: p } = phase;
    const wrap = fit!.truncate ? 'truncate-middle' : 'wrap';
    return (
      <Box flexDirection="column">
        <Text bold>{heading(p)}</Text>
        {p.exists && p.changes.length
          ? p.changes.map((c) => (
              <Text key={c.field} wrap={wrap}>
                {`  ${c.field}: `}
                <Text color={tone('red')}>{c.from === undefined ? '(none)' : String(c.from)}</Text>
                {' → '}
                <Text color={tone('green')}>{String(c.to)}</Text>
              </Text>
            ))
          : // The JSON keeps one setting a line at any size: a wrapped value would start at column 0 and
            // break the structure; a long value (the Consumer Key) is cut in the middle.
            previewLines(p).map((line, i) => (
              <Dim key={i} wrap="truncate-middle">
                {line}
              </Dim>
            ))}
        {fit!.note && <Dim>{WRITE_NOTE}</Dim>}
        <SelectList
          items={[
            { value: 'write', label: p.exists ? 'Save the changes' : 'Write the file' },
            { value: 'edit', label: 'Back to the questions' },
          ]}
          active={active}
          onBack={toForm}
          onSelect={(choice) => (choice === 'write' ? void write(phase.values) : toForm())}
        />
      </Box>
    );
  }
  if (phase.kind === 'writing') return <Spinner label="Writing…" />;
  if (phase.kind === 'settingAside') return <Spinner label="Setting the old file aside…" />;
  return (
    <Box flexDirection="column">
      <Text>
        <Mark status="fail" /> <Text color={tone('red')}>{phase.message}</Text>
      </Text>
      {phase.fix && <Dim>{`  fix: ${phase.fix}`}</Dim>}
      <SelectList items={[{ value: 'edit', label: 'Back to the questions' }]} active={active} onBack={() => setPhase({ kind: 'form' })} onSelect={() => setPhase({ kind: 'form' })} />
    </Box>
  );
}
