/**
 * What the Chromium tests of httpSource share: Debian's Chromium if installed, core's sources
 * as plain ES modules a page can import (transpiled, no bundler), and a run of one page that
 * reports by requesting `/report?<json>` from the server it came from.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Debian's Chromium, or undefined (the tests then skip and say how to install it). */
export const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) =>
  existsSync(path),
);

export const CHROMIUM_MISSING =
  ' (skipped: Chromium is not installed; run scripts/install-system-packages.sh)';

const srcFolder = join(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Core's `source` and `errors` folders as ES modules under `root/src`. */
export async function publishCoreSources(root: string): Promise<void> {
  for (const folder of ['source', 'errors']) {
    await mkdir(join(root, 'src', folder), { recursive: true });
    for (const name of await readdir(join(srcFolder, folder))) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const output = ts.transpileModule(await readFile(join(srcFolder, folder, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      await writeFile(join(root, 'src', folder, name.replace(/\.ts$/, '.js')), output.outputText);
    }
  }
}

/**
 * Open `url` in headless Chromium and wait until `requests()` (what the server recorded) holds
 * the page's `/report?<json>`; then stop Chromium by its pid and return the report.
 */
export async function reportFromChromium(
  url: string,
  requests: () => readonly { path: string }[],
): Promise<unknown> {
  const profile = await mkdtemp(join(tmpdir(), 'reprokit-chromium-'));
  const browser = spawn(
    chromium!,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      `--user-data-dir=${profile}`,
      url,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  try {
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && browser.exitCode === null) {
      const report = requests().find((request) => request.path.startsWith('/report?'));
      if (report !== undefined) {
        return JSON.parse(decodeURIComponent(report.path.slice('/report?'.length)));
      }
      await new Promise((wake) => setTimeout(wake, 50));
    }
    throw new Error(`no report from the page (Chromium exit code ${browser.exitCode})`);
  } finally {
    browser.kill('SIGTERM');
    await exited;
    // Chromium's helper processes may still write to the profile for a moment after it exits.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
