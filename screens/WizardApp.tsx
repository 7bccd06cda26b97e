import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { completeStep, goBack, goTo, stepInfo, successLines, withFreshProgress, type StepId, type WizardData, type WizardState } from '../src/wizard/index.js';
import { createStyle } from '../src/output/style.js';
import { AppStep } from './AppStep.js';
import { ConfigStep } from './ConfigStep.js';
import { Header } from './Header.js';
import { HelpPanel } from './HelpPanel.js';
import { KeyScopeContext } from './keyScope.js';
import { prose, stepRoom } from './layout.js';
import { KeyStep } from './KeyStep.js';
import { TokenStep } from './TokenStep.js';
import { Dim, Mark, useTheme } from './theme.js';
import type { StepProps, WizardEnv, WizardOutcome } from './types.js';

export interface WizardAppProps {
  initial: WizardState;
  env: WizardEnv;
  /** Called once, just before Ink exits, with how it ended and the final state. */
  onOutcome: (outcome: WizardOutcome, state: WizardState) => void;
}

/**
 * The wizard: header, finished steps as one-line summaries, the current step. Owns Ctrl+C (Ink's own
 * handler is off) and `?`; each step owns its Esc/Backspace.
 */
export function WizardApp({ initial, env, onOutcome }: WizardAppProps): React.JSX.Element {
  const [state, setState] = useState(initial);
  // Bumped on every move so coming back to a step starts it afresh.
  const [visit, setVisit] = useState(0);
  const [help, setHelp] = useState(false);
  const [compact, setCompact] = useState(false);
  const { exit } = useApp();
  const theme = useTheme();
  // On short terminals (60x20) the recap of finished steps keeps to one line each, so that step 2's
  // checklist and the header both stay in view.
  const { stdout } = useStdout();
  // A resized terminal: count the rows again (Ink redraws the tree it has; this draws it anew for the size).
  const [, setResizes] = useState(0);
  useEffect(() => {
    const onResize = () => setResizes((n) => n + 1);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  const rows = stdout.rows ?? 24;
  const short = rows < 24;
  // The compact frame (no banner, recaps or purpose) when a step asks for it, and while help is open.
  const tight = compact || help;
  const room = stepRoom({ state, banner: env.hooks.banner, columns: stdout.columns ?? 80, rows, short });
  const scope = useMemo(() => ({ typing: { current: false } }), []);

  const move = (next: WizardState) => {
    setCompact(false);
    setState(next);
    setVisit((v) => v + 1);
  };
  /** Back a step, or to the step that fixes a failure (withFreshProgress reads the files again). */
  const moveBack = (next: WizardState) => {
    void withFreshProgress(next, () => env.services.detectProgress(env.cwd, { configPath: env.configPath, keyDir: env.keyDir })).then(
      (fresh) => !env.cancel.cancelled && move(fresh),
    );
  };
  const finish = (outcome: WizardOutcome, final: WizardState = state) => {
    onOutcome(outcome, final);
    exit();
  };

  useInput((input, key) => {
    // Ctrl+C alone, or inside a burst of keys read in one chunk ("\r\u0003"), which Ink does not split.
    if ((key.ctrl && input === 'c') || input.includes('\u0003')) {
      // Work in flight (key generation) checks this and writes nothing.
      env.cancel.cancelled = true;
      return finish({ kind: 'quit', code: 130 });
    }
    if (help) {
      if (input === '?' || key.escape || key.return || input === 'q') setHelp(false);
      return;
    }
    if (input === '?' && !scope.typing.current && state.step !== 'finished') setHelp(true);
  });

  useEffect(() => {
    if (state.step === 'finished') finish({ kind: 'finished' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.step]);

  const props: StepProps = {
    state,
    env,
    active: !help,
    onCompact: setCompact,
    room,
    compact,
    onDone: (summary: string, data?: Partial<WizardData>) => move(completeStep(state, summary, data)),
    onBack: () => moveBack(goBack(state)),
  };
  return (
    <KeyScopeContext.Provider value={scope}>
      <Box flexDirection="column">
        <Header state={state} banner={tight ? undefined : env.hooks.banner} />
        {!tight && state.done.map((d) => (
          <Text key={d.id} wrap={short ? 'truncate-end' : 'wrap'}>
            <Mark status="pass" /> {`${stepInfo(d.id).number}/4 ${stepInfo(d.id).title}: `}
            <Dim>{d.summary}</Dim>
          </Text>
        ))}
        {state.step === 'finished' ? (
          <Box flexDirection="column" marginTop={1}>
            {state.data.result && successLines(state.data.result, createStyle(false)).map((line) => (
              <Text key={line}>
                <Mark status="pass" />
                {line.slice(1)}
              </Text>
            ))}
          </Box>
        ) : (
          <Box flexDirection="column" marginTop={state.done.length && !tight ? 1 : 0}>
            {!tight && <Dim>{prose(stepInfo(state.step).purpose, room.columns)}</Dim>}
            <Box marginTop={tight ? 0 : 1} flexDirection="column">
              {help ? <HelpPanel step={state.step} rows={room.compact} columns={room.columns} /> : null}
              <Box display={help ? 'none' : 'flex'} flexDirection="column">
                <Step key={`${state.step}-${visit}`} id={state.step} props={props} onGoTo={(s, because) => moveBack(goTo(state, s, because))} onDoctor={() => finish({ kind: 'doctor' })} onQuit={(code) => finish({ kind: 'quit', code })} />
              </Box>
            </Box>
            <Box marginTop={1}>
              <Dim>{help ? '? Esc or Enter closes this help' : theme.color ? '? help · Esc back · Ctrl+C quit' : '? help | Esc back | Ctrl+C quit'}</Dim>
            </Box>
          </Box>
        )}
      </Box>
    </KeyScopeContext.Provider>
  );
}

function Step({ id, props, onGoTo, onDoctor, onQuit }: { id: StepId; props: StepProps; onGoTo: (s: StepId, because?: string) => void; onDoctor: () => void; onQuit: (code: number) => void }): React.JSX.Element {
  switch (id) {
    case 'keys':
      return <KeyStep {...props} />;
    case 'app':
      return <AppStep {...props} />;
    case 'config':
      return <ConfigStep {...props} />;
    default:
      return <TokenStep {...props} onGoTo={onGoTo} onDoctor={onDoctor} onQuit={onQuit} />;
  }
}
