/**
 * vitest globalSetup of every `chromium` test project: installs Debian's Chromium (and the
 * other system packages the tests use) when it is missing, so a fresh machine runs the browser
 * tests with nothing installed by hand. Playwright's own browser download is not used: it
 * cannot be reached from here, and Debian's build is what CI has.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const chromium = process.env.REPROKIT_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  const script = fileURLToPath(new URL('./install-system-packages.sh', import.meta.url));
  execFileSync('bash', [script], { stdio: 'inherit' });
  if (!existsSync(chromium)) {
    throw new Error(`Chromium is still missing at ${chromium} after ${script}`);
  }
}
