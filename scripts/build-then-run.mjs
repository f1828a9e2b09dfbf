/**
 * `pnpm demo` and `pnpm reprokit`: build what a command needs with turbo, then run it, so that
 * what the command prints on stdout is its own. turbo's banner, task logs and summary go to
 * stderr, and its telemetry notice is off; the command inherits stdin, stdout and stderr, and
 * its exit code is ours.
 *
 *   node scripts/build-then-run.mjs <turbo filter> -- <command> [args...]
 */
import { spawnSync } from 'node:child_process';

const separator = process.argv.indexOf('--');
if (separator < 3 || separator === process.argv.length - 1) {
  console.error('usage: node scripts/build-then-run.mjs <turbo filter> -- <command> [args...]');
  process.exit(2);
}
const filter = process.argv[2];
const [command, ...args] = process.argv.slice(separator + 1);
const environment = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

const build = spawnSync(
  'turbo',
  ['run', 'build', `--filter=${filter}`, '--output-logs=errors-only'],
  {
    stdio: ['ignore', process.stderr, process.stderr],
    env: environment,
    shell: process.platform === 'win32',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(command, args, { stdio: 'inherit', env: process.env });
process.exit(run.status ?? 1);
