import { Box, Static, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Style } from '../../src/output/style.js';
import { renderOutcome, summaryLine } from '../../src/doctor/render-text.js';
import type { CheckOutcome, DoctorReport, Repair } from '../../src/doctor/types.js';
import type { RunHooks } from '../../src/doctor/run.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function Spinner({ colour }: { colour: boolean }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 80);
    return () => clearInterval(timer);
  }, []);
  return <Text color={colour ? 'cyan' : undefined}>{FRAMES[frame]}</Text>;
}

export interface DoctorScreenProps {
  titles: { id: string; title: string }[];
  /** Runs the checks, reporting progress through the hooks. */
  run(hooks: RunHooks): Promise<DoctorReport>;
  style: Style;
  verbose: boolean;
  offline: boolean;
  /** `--fix`: go straight to the repairs (each still asks y/n) instead of offering them with `f`. */
  fix?: boolean;
  /** Called once, when the user leaves the screen, with the exit code. */
  onExit(code: number): void;
}

type Phase = { kind: 'running' } | { kind: 'done' } | { kind: 'confirm'; index: number } | { kind: 'fixed' };

/**
 * The doctor in a terminal: a live list (a spinner on the running check), finished checks kept above in
 * <Static>, failures expanded with cause and numbered fix; then `f` offers the safe repairs one by one.
 */
export function DoctorScreen({ titles, run, style, verbose, offline, fix = false, onExit }: DoctorScreenProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const columns = stdout.columns || undefined;
  const [done, setDone] = useState<CheckOutcome[]>([]);
  const [running, setRunning] = useState<string | undefined>();
  const [report, setReport] = useState<DoctorReport | undefined>();
  const [phase, setPhase] = useState<Phase>({ kind: 'running' });
  const [messages, setMessages] = useState<string[]>([]);
  const [applied, setApplied] = useState(0);
  const repairs: { title: string; repair: Repair }[] = report ? report.checks.filter((c) => c.repair).map((c) => ({ title: c.title, repair: c.repair! })) : [];

  const leave = (code: number) => {
    onExit(code);
    exit();
  };

  useEffect(() => {
    let alive = true;
    run({
      onStart: (check) => alive && setRunning(check.id),
      onResult: (outcome) => alive && setDone((list) => [...list, outcome]),
    }).then((result) => {
      if (!alive) return;
      setRunning(undefined);
      setReport(result);
      setPhase(fix && result.checks.some((c) => c.repair) ? { kind: 'confirm', index: 0 } : { kind: 'done' });
    });
    return () => {
      alive = false;
    };
  }, []);

  // Nothing to repair: leave as soon as the summary is drawn, like any command.
  useEffect(() => {
    if (report && phase.kind === 'done' && repairs.length === 0) leave(report.exitCode);
  }, [report, phase]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return leave(130);
    if (!report) return;
    if (phase.kind === 'done') {
      if (input === 'f' && repairs.length) setPhase({ kind: 'confirm', index: 0 });
      else if (input === 'q' || key.escape || key.return) leave(report.exitCode);
    } else if (phase.kind === 'confirm') {
      const current = repairs[phase.index];
      const next = () => (phase.index + 1 < repairs.length ? setPhase({ kind: 'confirm', index: phase.index + 1 }) : setPhase({ kind: 'fixed' }));
      if (input === 'y') {
        current.repair.apply().then(
          (message) => {
            setMessages((m) => [...m, `${style.green('✓')} ${message}`]);
            setApplied((n) => n + 1);
            next();
          },
          (error: unknown) => {
            setMessages((m) => [...m, `${style.red('✗')} ${current.repair.description}: ${error instanceof Error ? error.message : String(error)}`]);
            next();
          },
        );
      } else if (input === 'n') {
        setMessages((m) => [...m, `- not changed: ${current.repair.description}`]);
        next();
      } else if (input === 'q' || key.escape) leave(report.exitCode);
    } else if (phase.kind === 'fixed') {
      leave(report.exitCode);
    }
  });

  useEffect(() => {
    if (phase.kind === 'fixed') {
      // Only a change needs confirming; after "n" to everything, nothing changed.
      if (applied > 0) setMessages((m) => [...m, style.dim('Run `sf-setup doctor` again to confirm.')]);
      // Let the last lines render before Ink unmounts.
      if (report) setTimeout(() => leave(report.exitCode), 50);
    }
  }, [phase.kind]);

  const pending = titles.filter((t) => t.id !== running && !done.some((d) => d.id === t.id));
  return (
    <Box flexDirection="column">
      <Static items={[{ key: 'header' }, ...done.map((o) => ({ key: o.id, outcome: o }))]}>
        {(item) =>
          'outcome' in item && item.outcome ? (
            <Text key={item.key}>{renderOutcome(item.outcome, style, verbose, columns)}</Text>
          ) : (
            <Text key={item.key}>
              {style.bold('sf-setup doctor')}
              {offline ? style.dim('  (offline: local checks only)') : ''}
              {'\n'}
            </Text>
          )
        }
      </Static>
      {running && (
        <Text>
          <Spinner colour={style.enabled} /> {titles.find((t) => t.id === running)?.title}
        </Text>
      )}
      {pending.map((t) => (
        <Text key={t.id} dimColor={style.enabled}>
          {'  '}
          {t.title}
        </Text>
      ))}
      {report && (
        <Box flexDirection="column" marginTop={1}>
          <Text>{summaryLine(report, style)}</Text>
          {messages.map((m, i) => (
            <Text key={i}>{m}</Text>
          ))}
          {phase.kind === 'done' && repairs.length > 0 && (
            <Text>
              {repairs.length === 1 ? 'One thing' : `${repairs.length} things`} can be repaired here: press {style.bold('f')} to review, {style.bold('q')} to quit.
            </Text>
          )}
          {phase.kind === 'confirm' && (
            <Text>
              {repairs[phase.index].title}: {repairs[phase.index].repair.description}? {style.bold('y')}/{style.bold('n')}
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}
