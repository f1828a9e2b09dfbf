import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../free-port.js';
import { type AccessLogEntry, parseAccessLog } from './access-log.js';
import { findNginx } from './find-nginx.js';

export interface StartNginxOptions {
  /** The folder to serve; default a new empty temporary folder (see `NginxServer.root`). */
  root?: string;
  /** Milliseconds to wait for nginx to answer; default 30 000. */
  startTimeout?: number;
}

/** A running nginx; stop it when done. */
export interface NginxServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The folder served at `/`. */
  readonly root: string;
  /** The nginx master's process id. */
  readonly pid: number;
  /** Every request logged so far, oldest first. */
  accessLog(): Promise<AccessLogEntry[]>;
  /**
   * Wait until at least `count` requests are logged (nginx logs a request just after its
   * last byte is sent, so a client can see the answer a moment before the line exists).
   */
  waitForAccessLog(count: number, timeout?: number): Promise<AccessLogEntry[]>;
  /** Empty the access log. */
  clearAccessLog(): Promise<void>;
  /** Stop nginx (by its pid) and remove its temporary folder; a served temporary root too. */
  stop(): Promise<void>;
}

const template = new URL('./nginx.conf.template', import.meta.url);
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Start Debian's nginx on a free port of 127.0.0.1 with the config the repo ships
 * (`nginx.conf.template`): `daemon off`, so the process started here is the master and is
 * stopped by its pid; its pid file, logs and temporary files live in a new temporary folder.
 * Works as root (workers then run as root too, so they can read the caller's private
 * temporary folders) and as any other user.
 *
 * @example
 * const nginx = await startNginx({ root: folder });
 * try {
 *   const response = await fetch(`${nginx.url}/model.safetensors`, { headers: { Range: 'bytes=0-7' } });
 * } finally {
 *   await nginx.stop();
 * }
 */
export async function startNginx(options: StartNginxOptions = {}): Promise<NginxServer> {
  const binary = findNginx();
  const temp = await mkdtemp(join(tmpdir(), 'reprokit-nginx-'));
  let ownRoot = false;
  let root: string;
  if (options.root === undefined) {
    root = join(temp, 'root');
    await mkdir(root);
    ownRoot = true;
  } else {
    root = resolve(options.root);
  }
  // nginx's master creates the temporary folders and gives them to the worker's user.
  await chmod(temp, 0o755);
  const configText = await readFile(template, 'utf8');
  const isRoot = process.getuid?.() === 0;
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(temp, 'nginx.conf');
    await writeFile(
      config,
      configText
        .replaceAll('{{user}}', isRoot ? 'user root root;' : '# not root: workers keep this user')
        .replaceAll('{{temp}}', temp)
        .replaceAll('{{root}}', root)
        .replaceAll('{{port}}', String(port)),
    );
    await rm(join(temp, 'error.log'), { force: true });
    const child = spawn(binary, ['-p', temp, '-e', join(temp, 'error.log'), '-c', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((settle) => {
      child.once('exit', (code) => settle(code));
      child.once('error', () => settle(-1));
    });
    running.add(child);
    installExitHook();
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitUntilServing(url, exited, options.startTimeout ?? 30_000);
    if (ready && child.pid !== undefined) {
      const pid = child.pid;
      const accessLogPath = join(temp, 'access.log');
      const accessLog = async () => parseAccessLog(await readFile(accessLogPath, 'utf8'));
      // The log starts empty: the readiness probe is not one of the caller's requests.
      await emptyAccessLogAfterProbe(accessLogPath);
      let stopped = false;
      return {
        url,
        port,
        root,
        pid,
        accessLog,
        async waitForAccessLog(count, timeout = 10_000) {
          const deadline = Date.now() + timeout;
          for (;;) {
            const entries = await accessLog();
            if (entries.length >= count || Date.now() > deadline) return entries;
            await new Promise((wake) => setTimeout(wake, 10));
          }
        },
        async clearAccessLog() {
          await truncate(accessLogPath, 0);
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          await stopProcess(child, exited);
          running.delete(child);
          await rm(temp, { recursive: true, force: true });
          if (ownRoot) await rm(root, { recursive: true, force: true });
        },
      };
    }
    await stopProcess(child, exited);
    running.delete(child);
    const log = await readFile(join(temp, 'error.log'), 'utf8').catch(() => '');
    lastError = `${stderr}${log}`.trim();
    // Another process took the port between freePort() and nginx's bind: try another.
    if (!/Address already in use|bind\(\)/.test(lastError)) break;
  }
  await rm(temp, { recursive: true, force: true });
  throw new Error(`nginx (${binary}) did not start: ${lastError || 'no output'}`);
}

/** Wait for the readiness probe's log line, then empty the log. */
async function emptyAccessLogAfterProbe(path: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.includes('.reprokit-ready')) break;
    await new Promise((wake) => setTimeout(wake, 10));
  }
  await truncate(path, 0);
}

/** Poll until nginx answers on `url`, nginx exits, or the timeout passes. */
async function waitUntilServing(
  url: string,
  exited: Promise<number | null>,
  timeout: number,
): Promise<boolean> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + timeout;
  while (!hasExited && Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/.reprokit-ready`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.headers.get('server')?.startsWith('nginx')) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 20));
  }
  return false;
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // TERM is nginx's fast shutdown: the master stops its workers and exits.
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A test run that ends without stop() (a crash, a timeout) must not leave nginx behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    // TERM, not KILL: the master then stops its workers, even after this process is gone.
    for (const child of running) child.kill('SIGTERM');
  });
}
