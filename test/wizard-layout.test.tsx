import fc from 'fast-check';
import React from 'react';
import { Box, renderToString, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { checkConsumerKey, checklistItems, configQuestions, STEP_HELP, stepInfo, type AppType, type StepId } from '../src/wizard/index.js';
import { Checklist } from '../screens/Checklist.js';
import { Form } from '../screens/Form.js';
import { HelpPanel } from '../screens/HelpPanel.js';
import { checklistNeedsCompact, checklistWindow, cutToRows, FIELD_ROWS, fieldMessageShown, MESSAGE_ROWS, fieldValueShown, fitBlock, helpWindow, prose, textLines } from '../screens/layout.js';
import { TextField } from '../screens/TextField.js';

/**
 * screens/layout.ts counts rows before Ink draws them, so no frame is as tall as the terminal (Ink then clears
 * the screen and the scrollback on every redraw). The counts are checked against Ink's own rendering here;
 * the real binary at 60x20 and 80x24 is checked in wizard-e2e.test.ts.
 */
const rowsOf = (output: string) => output.split('\n').length;
const noop = () => undefined;

describe('textLines counts rows as Ink wraps text', () => {
  it('agrees with Ink for the help, the checklists and random prose at widths from 10 to 120', () => {
    const texts = [
      ...Object.values(STEP_HELP).flat(),
      ...(['connected_app', 'external_client_app'] as const).flatMap((type) => checklistItems(type, '/tmp/a/very/long/path/to/certs/server.crt', true).flatMap((item) => [item.path ?? '', ...item.values.map((v) => `${v.label}: ${v.value}`), item.note ?? ''])),
    ].filter(Boolean);
    for (const width of [10, 23, 40, 56, 60, 76, 80, 120]) {
      for (const text of texts) {
        const drawn = renderToString(
          <Box width={width}>
            <Text>{text}</Text>
          </Box>,
          { columns: width },
        );
        expect(textLines(text, width), `${width}: ${text}`).toBe(rowsOf(drawn));
      }
    }
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Z0-9:/.,'"()-]{1,30}$/), { minLength: 1, maxLength: 40 }), fc.integer({ min: 5, max: 100 }), (words, width) => {
        const text = words.join(' ');
        const drawn = renderToString(
          <Box width={width}>
            <Text>{text}</Text>
          </Box>,
          { columns: width },
        );
        expect(textLines(text, width)).toBe(rowsOf(drawn));
      }),
    );
  });
});

describe('the checklist fits the rows it is given', () => {
  const lists: [AppType, boolean][] = [
    ['connected_app', false],
    ['connected_app', true],
    ['external_client_app', false],
    ['external_client_app', true],
  ];
  // The rows the compact frame leaves at 60x20, 80x24, 100x30 and 120x40 (terminal rows, less the header,
  // the footer and one), and a wide but short 120x18.
  const sizes: [number, number][] = [
    [60, 14],
    [80, 18],
    [100, 24],
    [120, 34],
    [120, 12],
  ];

  it('with the cursor on any item, drawn by Ink, it takes no more rows than given, and shows as many items as fit', () => {
    for (const [type, integrationUser] of lists) {
      const items = checklistItems(type, '/tmp/certs/server.crt', integrationUser);
      for (const [columns, rows] of sizes) {
        const window = checklistWindow(items, rows, columns);
        let tallest = 0;
        for (let at = 0; at < items.length; at++) {
          // The cursor starts on the first unticked item.
          const ticked = new Set(items.slice(0, at).map((item) => item.id));
          const drawn = renderToString(<Checklist items={items} ticked={ticked} onTickedChange={noop} onComplete={noop} onBack={noop} rows={rows} columns={columns} />, { columns });
          const where = `${type}${integrationUser ? ' + integration user' : ''} at ${columns}x${rows}, item ${at + 1}`;
          expect(rowsOf(drawn), `${where}:\n${drawn}`).toBeLessThanOrEqual(rows);
          tallest = Math.max(tallest, rowsOf(drawn));
          expect(drawn, where).toContain(`❯ ○ ${at + 1}. ${items[at].title}`);
          expect(drawn.split('\n').filter((line) => /^. [○✓] \d+\./.test(line)), where).toHaveLength(window);
        }
        // Rows are not wasted: one more item would not fit beside the tallest item's instructions (unless the
        // list is whole, at its most of 7, or down to one item). Two rows may stay free: an ↑ or ↓ line is
        // missing at the list's ends, and the heading is counted at its longest ("11/11 done").
        if (window > 1 && window < Math.min(7, items.length)) expect(tallest, `${type} at ${columns}x${rows}`).toBeGreaterThanOrEqual(rows - 2);
      }
    }
  });

  it('the compact frame is asked for when the full one leaves room for fewer than three items', () => {
    const items = checklistItems('external_client_app', '/tmp/certs/server.crt', true);
    expect(checklistNeedsCompact(items, { columns: 60, full: 9, compact: 14 })).toBe(true);
    expect(checklistNeedsCompact(items, { columns: 120, full: 30, compact: 35 })).toBe(false);
    expect(checklistWindow(items, 30, 120)).toBe(7);
  });
});

describe('the help fits the rows it is given', () => {
  it('drawn by Ink it takes no more rows than given; scrolled, each window starts at its point and fits too', async () => {
    for (const step of Object.keys(STEP_HELP) as StepId[]) {
      const points = STEP_HELP[step];
      for (const [columns, rows] of [
        [50, 9],
        [60, 14],
        [80, 18],
      ] as const) {
        const drawn = renderToString(<HelpPanel step={step} rows={rows} columns={columns} />, { columns });
        expect(rowsOf(drawn), `${step} at ${columns}x${rows}:\n${drawn}`).toBeLessThanOrEqual(rows);
        const hidden = points.length - helpWindow(points, 0, rows, columns).length;
        if (hidden) expect(drawn).toContain(`↓ ${hidden} more (↓ scrolls)`);
        else expect(drawn).not.toContain('↓');
        // Scrolled with ↓ to the end, as the user would: each window drawn fits too, and starts where it should.
        if (hidden) {
          const panel = render(
            <Box width={columns}>
              <HelpPanel step={step} rows={rows} columns={columns} />
            </Box>,
          );
          let frame = panel.lastFrame() ?? '';
          let first = 0;
          while (frame.includes('↓')) {
            const before = frame;
            panel.stdin.write('\u001B[B');
            first++;
            // Each ↓ scrolls by one point, so the frame changes; wait for it (a busy machine takes longer).
            for (let waited = 0; frame === before && waited < 3000; waited += 10) {
              await new Promise((r) => setTimeout(r, 10));
              frame = panel.lastFrame() ?? '';
            }
            const where = `${step} from ${first} at ${columns}x${rows}:\n${frame}`;
            expect(rowsOf(frame), where).toBeLessThanOrEqual(rows);
            // The first point shown is the one scrolled to (its first words; the rest may wrap).
            expect(frame.split('\n')[2], where).toContain(`• ${points[first].split(' ').slice(0, 3).join(' ')}`);
          }
          expect(frame.replace(/\s+/g, ' ')).toContain(points.at(-1)!.split(' ').slice(-3).join(' '));
          panel.unmount();
        }
      }
    }
  });
});

describe('a form keeps as many answers above the question as fit', () => {
  it('step 3 with a long My Domain, answered through at 60 columns in 7 rows (60x20 with the demo banner): never more rows', async () => {
    const domain = 'https://orgfarm-abcdef1234-dev-ed.develop.my.salesforce.com';
    const fields = configQuestions({
      existing: {},
      prefill: { environment: 'mydomain', myDomain: domain, username: 'integration.user@orgfarm-abcdef1234.example.com', instanceUrl: domain },
      configDir: '/tmp/project',
      keyPath: '/tmp/project/certs/server.key',
      latestApiVersion: async () => 'v66.0',
    });
    const [columns, rows] = [60, 7];
    let submitted = false;
    const form = render(
      <Box width={columns}>
        <Form fields={fields} onSubmit={() => (submitted = true)} onBack={noop} rows={() => rows} columns={columns} />
      </Box>,
    );
    /** The frame once it shows `text` (the API version's default is fetched; a busy machine takes longer). */
    const shows = async (text: string) => {
      for (let waited = 0; waited < 3000; waited += 10) {
        const frame = form.lastFrame() ?? '';
        if (frame.includes(text)) {
          // Let the question attach its key handler (an effect after the frame) before the next key, as
          // test/helpers/terminal.ts does.
          await new Promise((r) => setTimeout(r, 50));
          return frame;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`never showed ${text}:\n${form.lastFrame()}`);
    };
    const frames: string[] = [];
    for (const question of ['❯ My Domain', 'Setup > My Domain, e.g.', 'Username: integration', 'Instance URL:', 'API version: v66.0', 'Private key: ./certs/server.key']) {
      frames.push(await shows(question));
      form.stdin.write('\r');
    }
    frames.push(await shows('does not exist'));
    expect(submitted).toBe(false);
    form.unmount();
    // Through to the last question (whose check refuses the missing key file, message and all).
    expect(frames.at(-1)).toContain('Private key: ./certs/server.key');
    expect(frames.at(-1)).toContain('does not exist');
    for (const frame of frames) expect(rowsOf(frame), frame).toBeLessThanOrEqual(rows);
    // Answers kept above are cut to one row each; at least one frame shows that some are.
    expect(frames.some((frame) => /… \d+ earlier/.test(frame))).toBe(true);
  });
});

const KEY_LIKE = '3MVG9fe4g9fhX0E5xLlUhGxL0eQp7Lr8yS2aZkHqJw1VtNnB3cDmR6uYiOoPzKjXxQwErTyUiOpAsDfGhJk.Z';

describe('a text field keeps to its rows, whatever is pasted into it', () => {
  it('fieldValueShown: the whole value when it fits, else the longest end that does, after "…" (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Consumer Key', 'Username', 'Token URL', 'Setup > My Domain, e.g. acme'),
        fc.oneof(fc.string({ maxLength: 400 }), fc.stringMatching(/^[A-Za-z0-9._]{0,400}$/), fc.string({ unit: 'grapheme', maxLength: 200 })),
        fc.integer({ min: 30, max: 140 }),
        (label, value, columns) => {
          const shown = fieldValueShown(label, value, columns);
          const rows = (text: string) => textLines(`${label}: ${text} `, columns);
          expect(rows(shown)).toBeLessThanOrEqual(FIELD_ROWS);
          if (rows(value) <= FIELD_ROWS) {
            expect(shown).toBe(value);
            return;
          }
          expect(shown.startsWith('…')).toBe(true);
          const end = shown.slice(1);
          expect(value.endsWith(end)).toBe(true);
          // One more character of the value would not fit.
          const chars = [...value];
          const kept = [...end].length;
          expect(rows(`…${chars.slice(-(kept + 1)).join('')}`)).toBeGreaterThan(FIELD_ROWS);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cutToRows with keep "both": the start and the end, "…" between, within the rows (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 20, max: 120 }), (text, rows, columns) => {
        const shown = cutToRows(text, rows, columns, { before: '✗ ', keep: 'both' });
        expect(textLines(`✗ ${shown}`, columns)).toBeLessThanOrEqual(rows);
        if (textLines(`✗ ${text}`, columns) <= rows) {
          expect(shown).toBe(text);
          return;
        }
        const at = shown.indexOf('…');
        expect(at).toBeGreaterThanOrEqual(0);
        expect(text.startsWith(shown.slice(0, at))).toBe(true);
        expect(text.endsWith(shown.slice(at + 1))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('cutToRows keeps the start or the end, as much as fits, "…" where it cut (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 20, max: 120 }), fc.constantFrom('start' as const, 'end' as const), (text, rows, columns, keep) => {
        const shown = cutToRows(text, rows, columns, { before: '✗ ', keep });
        const lines = (t: string) => textLines(`✗ ${t}`, columns);
        expect(lines(shown)).toBeLessThanOrEqual(rows);
        if (lines(text) <= rows) {
          expect(shown).toBe(text);
          return;
        }
        const kept = keep === 'end' ? shown.slice(1) : shown.slice(0, -1);
        expect(keep === 'end' ? text.endsWith(kept) && shown.startsWith('…') : text.startsWith(kept) && shown.endsWith('…')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('Ink draws a 500-character paste in the Consumer Key field at 60 columns on two rows, and Enter takes all of it', async () => {
    const pasted = `3MVG9${'Ab1'.repeat(165)}`;
    let submitted: string | undefined;
    const field = render(
      <Box width={60}>
        <TextField label="Consumer Key" columns={60} check={checkConsumerKey} hint="paste it here" onSubmit={(v) => (submitted = v)} />
      </Box>,
    );
    await new Promise((r) => setTimeout(r, 50));
    field.stdin.write(pasted);
    await new Promise((r) => setTimeout(r, 50));
    const frame = field.lastFrame() ?? '';
    // The field's rows, the check's warning (not the usual 85 characters), one for the hint.
    expect(rowsOf(frame), frame).toBe(FIELD_ROWS + MESSAGE_ROWS + 1);
    expect(frame).toMatch(/! 500 characters; Consumer Keys usually have 85/);
    expect(frame).toContain('Consumer Key: …');
    expect(frame.replace(/\n/g, '')).toContain(pasted.slice(-40));
    // A warning is taken on the second Enter: the first says so and waits.
    field.stdin.write('\r');
    await new Promise((r) => setTimeout(r, 50));
    expect(submitted).toBeUndefined();
    expect(field.lastFrame()).toMatch(/! Enter again to keep it: 500 characters/);
    expect(rowsOf(field.lastFrame() ?? '')).toBe(FIELD_ROWS + MESSAGE_ROWS + 1);
    field.stdin.write('\r');
    await new Promise((r) => setTimeout(r, 50));
    field.unmount();
    expect(submitted).toBe(pasted);
  });

  it('Backspaces that arrive in one chunk (a held key under load) each delete a character, in order with the text', async () => {
    let submitted: string | undefined;
    let back = 0;
    const field = render(<TextField label="Username" onSubmit={(v) => (submitted = v)} onBack={() => back++} />);
    const type = async (chunk: string) => {
      field.stdin.write(chunk);
      await new Promise((r) => setTimeout(r, 30));
    };
    await type('me@acme.comx');
    await type('\u007f\u007f\u007f\u007f'); // four at once: "me@acme."
    expect(field.lastFrame()).toMatch(/^Username: me@acme\.\s*$/m);
    await type('org\u007f\u007f\u007fcom'); // typed, deleted and typed again in one chunk
    expect(field.lastFrame()).toMatch(/^Username: me@acme\.com\s*$/m);
    await type('\b\b\b'); // ^H, what some terminals send for Backspace
    expect(field.lastFrame()).toMatch(/^Username: me@acme\.\s*$/m);
    // More Backspaces than characters empty the field but never leave it (clearing a bad paste must not land
    // on the previous step): only Esc goes back.
    await type('\u007f'.repeat(20));
    expect(field.lastFrame()).toMatch(/^Username:\s*$/m);
    await type('\u007f');
    expect(back).toBe(0);
    await type('\u001b');
    await new Promise((r) => setTimeout(r, 60));
    expect(back).toBe(1);
    // One Backspace deletes one character, not half of one (a UTF-16 surrogate).
    await type('u@x.io😀');
    await type('\u007f');
    await type('\r');
    field.unmount();
    expect(submitted).toBe('u@x.io');
  });

  it('a pre-filled value is a suggestion: typing replaces it, Backspace edits it, Enter takes it', async () => {
    const take = async (keys: string[]) => {
      let submitted: string | undefined;
      const field = render(<TextField label="Valid for (days)" initial="365" onSubmit={(v) => (submitted = v)} />);
      for (const chunk of keys) {
        field.stdin.write(chunk);
        await new Promise((r) => setTimeout(r, 30));
      }
      field.unmount();
      return submitted;
    };
    expect(await take(['\r'])).toBe('365');
    expect(await take(['730', '\r'])).toBe('730');
    expect(await take(['7', '30\r'])).toBe('730'); // only the first text replaces
    expect(await take(['\u007f', '0', '\r'])).toBe('360');
    expect(await take(['\u0015', '90\r'])).toBe('90'); // Ctrl+U clears
    expect(await take(['?', '\r'])).toBe('365'); // `?` is the wizard's help, not a replacement
  });

  it('a value the check warns about is taken on the second Enter; another value is checked afresh', async () => {
    let submitted: string | undefined;
    const field = render(<TextField label="Consumer Key" check={checkConsumerKey} onSubmit={(v) => (submitted = v)} />);
    const type = async (chunk: string) => {
      field.stdin.write(chunk);
      await new Promise((r) => setTimeout(r, 30));
    };
    const secret = 'E4B6D0C1F2A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D';
    await type(`${secret}\r`);
    expect(submitted).toBeUndefined();
    expect(field.lastFrame()).toMatch(/Enter again to keep it: .*Consumer Secret/s);
    await type('\u0015');
    await type(`${KEY_LIKE}\r`);
    field.unmount();
    expect(submitted).toBe(KEY_LIKE);
  });

  it("a check's message that quotes a long paste keeps to two rows: its start and its end (the fix), cut in the middle", async () => {
    const pasted = `XX${' some words '.repeat(25)}`;
    const field = render(
      <Box width={60}>
        <TextField label="Country (2 letters)" columns={60} check={() => ({ ok: false, error: `C (country) must be a two-letter code such as US, not "${pasted}"` })} onSubmit={noop} />
      </Box>,
    );
    await new Promise((r) => setTimeout(r, 50));
    field.stdin.write(pasted);
    await new Promise((r) => setTimeout(r, 50));
    const frame = field.lastFrame() ?? '';
    field.unmount();
    expect(rowsOf(frame), frame).toBe(FIELD_ROWS + MESSAGE_ROWS);
    expect(frame).toContain('✗ C (country) must be a two-letter code such as');
    expect(frame.trimEnd().endsWith('some words "')).toBe(true);
    expect(frame).toContain('…');
    // The reviewer's case: a Lightning URL in My Domain at 60 columns; the fix at the end stays readable.
    const lightning = fieldMessageShown('"https://acme.lightning.force.com/lightning/setup/SetupOneHome/home" is a Lightning URL, not the My Domain (use https://acme.my.salesforce.com)', 60);
    expect(lightning.startsWith('"https://acme.lightning')).toBe(true);
    expect(lightning.endsWith('(use https://acme.my.salesforce.com)')).toBe(true);
    expect(fieldMessageShown('short', 60)).toBe('short');
  });
});

describe('fitBlock: a block of lines in the full frame, the compact one, or one row per line', () => {
  const json = ['  {', `    "clientId": "${'x'.repeat(85)}",`, '    "username": "demo@example.com",', '  }'];
  it('picks the first that fits', () => {
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 12, compact: 16 })).toEqual({ compact: false, truncate: false, note: true });
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 8, compact: 10 })).toEqual({ compact: true, truncate: false, note: true });
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 8, compact: 8 })).toEqual({ compact: true, truncate: true, note: true });
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 7, compact: 7 })).toEqual({ compact: true, truncate: true, note: false });
  });
});

describe('prose: wrapped at spaces, no line starting with one', () => {
  it("step 3's purpose at 80 columns (Ink's own wrap gave ' code.')", () => {
    const purpose = stepInfo('config').purpose;
    const ink = renderToString(<Box width={80}><Text>{purpose}</Text></Box>);
    expect(ink.split('\n').some((line) => line.startsWith(' '))).toBe(true); // the defect, as Ink draws it
    const lines = prose(purpose, 80).split('\n');
    expect(lines).toEqual(['Which org, which user, which key: saved to .sfconnect.json for sf-setup and your', 'code.']);
    expect(textLines(prose(purpose, 80), 80)).toBe(2);
  });

  it('any text and width: lines fit, none starts with a space, the words are kept in order', () => {
    const word = fc.stringMatching(/^[a-z.,:]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 12, max: 100 }), (words, width) => {
        const text = words.join(' ');
        const lines = prose(text, width).split('\n');
        for (const line of lines) {
          expect(line.length).toBeLessThanOrEqual(width);
          expect(line.startsWith(' ')).toBe(false);
        }
        expect(lines.join(' ').split(/\s+/)).toEqual(words);
      }),
    );
  });
});

describe('the failure card wraps under its text, not at column 0 (TUI review)', () => {
  it('every wrapped line of a cause, a fix step or the summary is indented, at 60 and 80 columns', async () => {
    const { FailureCard } = await import('../screens/FailureCard.js');
    const { failureCard } = await import('../src/wizard/index.js');
    const { SalesforceError } = await import('../src/salesforce/token.js');
    const { classifyOAuthError } = await import('../src/diagnostics/classify.js');
    const card = failureCard(new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" }), 'refused'), { appJustCreated: false, keyJustCreated: false });
    for (const columns of [60, 80]) {
      const drawn = renderToString(<FailureCard card={card} />, { columns });
      const lines = drawn.split('\n');
      expect(lines.length).toBeGreaterThan(8);
      for (const line of lines.slice(1)) if (line.trim()) expect(line, `${columns}: ${line}`).toMatch(/^ {2}/);
      // Continuation lines sit under the text after "• " and "1. ".
      const bullet = lines.findIndex((line) => line.startsWith('  • ') && line.length > columns - 10);
      expect(bullet, drawn).toBeGreaterThan(0);
      expect(lines[bullet + 1]).toMatch(/^ {4}\S/);
      // Printed in <Static>, the card is laid out outside the screen's box: given the terminal's width, it keeps
      // to it even where nothing else bounds it (here a box far wider than the terminal).
      const unbounded = renderToString(<Box width={200}><FailureCard card={card} columns={columns} /></Box>, { columns: 200 });
      for (const line of unbounded.split('\n')) expect([...line].length, `${columns}: ${line}`).toBeLessThanOrEqual(columns);
    }
  });
});
