import fc from 'fast-check';
import React from 'react';
import { Box, renderToString, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { checklistItems, configQuestions, STEP_HELP, type AppType, type StepId } from '../src/wizard/index.js';
import { Checklist } from '../screens/Checklist.js';
import { Form } from '../screens/Form.js';
import { HelpPanel } from '../screens/HelpPanel.js';
import { checklistNeedsCompact, checklistWindow, fitBlock, helpWindow, textLines } from '../screens/layout.js';

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

describe('fitBlock: a block of lines in the full frame, the compact one, or one row per line', () => {
  const json = ['  {', `    "clientId": "${'x'.repeat(85)}",`, '    "username": "demo@example.com",', '  }'];
  it('picks the first that fits', () => {
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 12, compact: 16 })).toEqual({ compact: false, truncate: false, note: true });
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 8, compact: 10 })).toEqual({ compact: true, truncate: false, note: true });
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 8, compact: 8 })).toEqual({ compact: true, truncate: true, note: true });
    expect(fitBlock(json, 'note', 3, { columns: 80, full: 7, compact: 7 })).toEqual({ compact: true, truncate: true, note: false });
  });
});
