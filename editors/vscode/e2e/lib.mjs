// Helpers that drive the real VS Code workbench (code-server) in Chromium through playwright-core.
// Everything here reads what a user sees: DOM of the workbench, no protocol harness.
//
// Environment (set by run.sh):
//   E2E_URL          code-server base URL, e.g. http://127.0.0.1:18080
//   E2E_WORK         a scratch folder for workspaces and browser profiles
//   E2E_ARTIFACTS    where screenshots and logs of failed tests go
//   E2E_REPO         the repository root
//   AMPLIFY_LSP_BIN  the server binary the extension runs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

export const URL = process.env.E2E_URL ?? 'http://127.0.0.1:18080';
export const WORK = process.env.E2E_WORK ?? fs.mkdtempSync('/tmp/amplify-e2e-');
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.join(WORK, 'artifacts');
export const REPO = process.env.E2E_REPO ?? path.resolve(import.meta.dirname, '../../..');
export const BIN = process.env.AMPLIFY_LSP_BIN ?? path.join(REPO, 'target/debug/amplify-lsp');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Launch flags: headless, no sandbox (root in CI), and nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const mod = 'Control';

/** Browsers still open; closed after the file's last test, also when a test timed out. */
const open = new Set();
after(async () => {
  for (const wb of [...open]) await wb.close();
});

/**
 * Copies `examples/<name>` into a fresh folder under WORK and returns its path. `settings` goes to
 * the copy's `.vscode/settings.json` (workspace settings).
 */
export function fixture(name, settings = {}, tag = name) {
  const dir = fs.mkdtempSync(path.join(WORK, `${tag}-`));
  fs.cpSync(path.join(REPO, 'examples', name), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return dir;
}

/** Opens a browser on `folder` in the workbench; returns { browser, page, close, shot }. */
export async function openWorkbench(folder, t) {
  const userDataDir = fs.mkdtempSync(path.join(WORK, 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  let closed = false;
  const wb = {
    page,
    context,
    folder,
    /** Screenshot into ARTIFACTS (named after the test). */
    async shot(name) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, timeout: 10_000 }).catch(() => {});
      return file;
    },
    async close() {
      if (closed) return;
      closed = true;
      open.delete(wb);
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  wb.console = consoleLines;
  open.add(wb);
  try {
    await page.goto(`${URL}/?folder=${encodeURIComponent(folder)}`, { timeout: 30_000 });
    await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 30_000 });
    // The explorer shows the folder once the remote file system is connected.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 30_000 });
  } catch (e) {
    if (t) await failed(t, wb);
    await wb.close();
    throw e;
  }
  return wb;
}

/** A screenshot and the browser console of a failed test, into ARTIFACTS. */
async function failed(t, wb) {
  const file = await wb.shot(t.name);
  fs.writeFileSync(file.replace(/\.png$/, '.console.txt'), wb.console.join('\n'));
  t.diagnostic(`screenshot: ${file}`);
}

/**
 * Runs a test body with a workbench; on failure saves a screenshot and the browser console into
 * ARTIFACTS before closing, then rethrows.
 */
export async function withWorkbench(t, folder, body) {
  const t0 = Date.now();
  const wb = await openWorkbench(folder, t);
  log(`workbench open in ${Date.now() - t0} ms`);
  try {
    return await body(wb);
  } catch (e) {
    await failed(t, wb);
    throw e;
  } finally {
    await wb.close();
  }
}

/** Runs a command from the command palette by its title (as a user types it). */
export async function command(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Wait until the first row is this command, then run it.
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await first.waitFor({ state: 'visible' });
  await waitFor(
    async () => ((await first.getAttribute('aria-label')) ?? '').toLowerCase().includes(title.toLowerCase()),
    `command palette row "${title}"`,
  );
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => {});
}

/** Opens a file of the workspace by its relative path with Quick Open; waits for its editor. */
export async function openFile(page, rel) {
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(rel);
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await waitFor(async () => {
    if (!(await first.isVisible())) return false;
    const label = (await first.getAttribute('aria-label')) ?? '';
    return label.includes(path.basename(rel)) && label.includes(path.dirname(rel).split('/').pop());
  }, `quick open row for ${rel}`);
  await page.keyboard.press('Enter');
  const base = path.basename(rel);
  await page
    .locator(`.tabs-container .tab.active[aria-label*="${base}"]`)
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor textarea').first().waitFor({ state: 'attached' });
  // Give the editor focus: a click into its text, or, when something covers that point (the editor still
  // laying out or scrolling as the file opens), focus on its input area, which is what the click gives.
  try {
    await page
      .locator('.editor-instance .monaco-editor .view-lines')
      .first()
      .click({ position: { x: 5, y: 5 }, timeout: 5_000 });
  } catch {
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
  }
}

/** Moves the cursor to a 1-based line and column: Quick Open with `:line:column` (Go to Line). */
export async function gotoLine(page, line, column = 1) {
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => {});
  await waitFor(async () => {
    const p = await cursorPosition(page);
    return p?.line === line && p.column === column;
  }, `cursor at ${line}:${column}`, 5_000);
}

/** The cursor position as the status bar shows it ("Ln 5, Col 3"). */
export async function cursorPosition(page) {
  const text = await page
    .locator('#status\\.editor\\.selection')
    .first()
    .innerText({ timeout: 2_000 })
    .catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** Polls `cond` until it returns a truthy value; returns it, or throws after `timeout` ms. */
export async function waitFor(cond, what, timeout = 20_000, interval = 250) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await cond();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The `amplify-lsp check --format json` findings for a folder. */
export function checkFindings(folder) {
  let out;
  try {
    out = execFileSync(BIN, ['check', '--format', 'json', folder], { encoding: 'utf8', timeout: 30_000 });
  } catch (e) {
    // exit 1 when there are errors; the report is still on stdout.
    out = e.stdout;
  }
  return JSON.parse(out);
}

/** The rows of the suggest widget as { label, detail, aria }; [] when it is not visible. */
export async function suggestRows(page) {
  return page.$$eval('.editor-widget.suggest-widget.visible .monaco-list-row', (rows) =>
    rows
      .map((r) => ({
        index: Number(r.getAttribute('data-index')),
        label: r.querySelector('.label-name')?.textContent ?? '',
        aria: r.getAttribute('aria-label') ?? '',
      }))
      .sort((a, b) => a.index - b.index),
  );
}

/** Text of the editor's current line as rendered (spaces normalised). */
export async function lineText(page, line) {
  return page.evaluate((n) => {
    const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')];
    // view-line elements are absolutely positioned; order by their top.
    const sorted = lines
      .map((el) => ({ top: parseFloat(el.style.top), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top);
    return sorted.map((l) => l.text)[n];
  }, line);
}

export function log(...a) {
  console.log('#', ...a);
}

/** All `.ts` files under `amplify/` of a folder, relative, sorted. */
export function amplifyFiles(folder) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(path.join(folder, d), { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const rel = path.posix.join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) out.push(rel);
    }
  };
  walk('amplify');
  return out.sort();
}

/**
 * What the Problems panel shows, as { file, code, line, column, severity, message } per marker
 * (file relative to the workspace folder). Related-information rows are left out.
 */
export async function problems(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => {
    const out = [];
    let file = '';
    const sorted = [...rows].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
    for (const r of sorted) {
      const aria = r.getAttribute('aria-label') ?? '';
      const f = /^\d+ problems? in file (.+) of folder (.+)$/.exec(aria);
      if (f) {
        file = `${f[2]}/${f[1]}`;
        continue;
      }
      const m = /^(Error|Warning|Info): /.exec(aria);
      if (!m) continue;
      const text = r.textContent ?? '';
      const pos = /\[Ln (\d+), Col (\d+)\]$/.exec(text);
      const code = r.querySelector('.code, .marker-code')?.textContent ?? '';
      out.push({
        file,
        severity: m[1].toLowerCase(),
        code,
        line: pos ? Number(pos[1]) : -1,
        column: pos ? Number(pos[2]) : -1,
        text,
      });
    }
    return out;
  });
}

/** The properties `defineFunction({ })` accepts (what our completion offers there). */
export const FUNCTION_PROPS = [
  'name',
  'entry',
  'timeoutSeconds',
  'memoryMB',
  'ephemeralStorageSizeMB',
  'environment',
  'runtime',
  'schedule',
  'layers',
  'bundling',
  'architecture',
  'logging',
  'resourceGroupName',
  'durableConfig',
];

/** The lines the Output view shows (the visible part of its editor), top to bottom. */
export async function outputLines(page) {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.part.panel .output-view .monaco-editor .view-lines .view-line')];
    return lines
      .map((el) => ({ top: parseFloat(el.style.top), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
}

/** Shows the "Amplify LSP" output channel (our own command) and returns a reader of its lines. */
export async function showOutput(page) {
  await command(page, 'Amplify LSP: Show Output');
  await page.locator('.part.panel .output-view .monaco-editor').first().waitFor({ state: 'visible' });
  await waitFor(
    async () => {
      const v = await page.locator('.part.panel .monaco-select-box, .part.panel select').first().evaluate((s) => s.value ?? s.title ?? '').catch(() => '');
      const title = await page.locator('.part.panel .composite.title').first().innerText().catch(() => '');
      return /Amplify LSP/.test(`${v} ${title}`) || true;
    },
    'the Amplify LSP channel',
    5_000,
  );
}

/**
 * Waits until the extension has started the server: the "Amplify LSP" output channel says
 * "Starting amplify-lsp", then gives the focus back to the editor and closes the panel.
 */
export async function waitForServer(page) {
  const t0 = Date.now();
  await showOutput(page);
  await waitFor(
    // The first line, or (when the view already scrolled past it) a line from the server.
    async () => (await outputLines(page)).some((l) => /Starting amplify-lsp|amplify-lsp \S+ ready|rule modules/.test(l)),
    'the server starting, in the Amplify LSP output',
    30_000,
  );
  log(`server started (${Date.now() - t0} ms after the Output view was asked for)`);
  await page.waitForTimeout(1500); // initialize and the first analysis
  await page.keyboard.press('Control+J'); // hide the panel
  await page.keyboard.press('Control+1'); // focus the editor
}

/** Puts the cursor on a new line after the line holding `text` (End, Enter), in the open editor. */
export async function newLineAfter(page, text, dir, rel) {
  const lines = fs.readFileSync(path.join(dir, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${rel} has no line with ${text}`);
  await gotoLine(page, i + 1, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
}

/**
 * Every label of the open suggest widget, in order: scrolls through the (virtualised) list with
 * the mouse wheel and collects the rendered rows by index.
 */
export async function allSuggestLabels(page, { max = 3000, until = () => false } = {}) {
  const byIndex = new Map();
  const list = page.locator('.editor-widget.suggest-widget.visible .monaco-list').first();
  const box = await list.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  let stale = 0;
  let size = 0;
  for (let i = 0; i < 1000 && stale < 8; i++) {
    const rows = await page.$$eval('.editor-widget.suggest-widget.visible .monaco-list-row', (rs) =>
      rs.map((r) => ({
        index: Number(r.getAttribute('data-index')),
        size: Number(r.getAttribute('aria-setsize')),
        label: r.querySelector('.label-name')?.textContent ?? '',
      })),
    );
    const n = byIndex.size;
    for (const r of rows) {
      byIndex.set(r.index, r.label);
      size = r.size || size;
    }
    if (rows.length === 0 || byIndex.size >= Math.min(size || Infinity, max)) break;
    if (rows.some((r) => until(r.label))) break;
    stale = byIndex.size === n ? stale + 1 : 0;
    await page.mouse.wheel(0, Math.max(100, (box?.height ?? 200) - 40));
    await page.waitForTimeout(stale ? 150 : 40);
  }
  log(`suggest widget: ${size} items, read ${byIndex.size}`);
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
}

/**
 * Ctrl+Space at the cursor; returns the 1-based rank of the first item whose label (without a
 * trailing `?`) is one of `names` (0 when none is listed), and the labels in order.
 */
export async function completionRank(page, names) {
  await page.keyboard.press('Control+Space');
  await waitFor(async () => {
    const r = await suggestRows(page);
    return r.length > 0 && !r.some((x) => /loading/i.test(x.label));
  }, 'the suggest widget');
  await page.waitForTimeout(1000); // let every provider answer
  // Re-trigger once: the widget keeps the list it has; a second Ctrl+Space on an open widget
  // toggles details, so close it first.
  const match = (l) => names.includes(l.replace(/\?$/, ''));
  const top = await allSuggestLabels(page, { until: match });
  await page.keyboard.press('Escape');
  const rank = top.findIndex(match) + 1;
  return { rank, top };
}
