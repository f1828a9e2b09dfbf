import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '@reprokit/http-test-servers';
import type { StaticServer } from './static-server.js';

/** Debian's binaries; `scripts/install-interop-servers.sh` installs the three web servers. */
export const binaries = {
  python3: '/usr/bin/python3',
  apache2: '/usr/sbin/apache2',
  lighttpd: '/usr/sbin/lighttpd',
  caddy: '/usr/bin/caddy',
} as const;

export const installed = (binary: keyof typeof binaries) => existsSync(binaries[binary]);

/**
 * Start a server as a child process on a free loopback port and wait until it answers; stop
 * it by its pid. `configure` writes its config into `state` and returns the command line.
 */
async function startProcess(
  name: string,
  configure: (
    port: number,
    root: string,
    state: string,
  ) => Promise<{ command: string; args: string[]; env?: NodeJS.ProcessEnv }>,
): Promise<StaticServer> {
  const temp = await mkdtemp(join(tmpdir(), `reprokit-${name}-`));
  // Apache drops root for www-data, which must reach the files.
  await chmod(temp, 0o755);
  const root = join(temp, 'root');
  const state = join(temp, 'state');
  await mkdir(root, { mode: 0o755 });
  await mkdir(state, { mode: 0o755 });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const { command, args, env } = await configure(port, root, state);
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = `http://127.0.0.1:${port}`;
    if (await answers(url, child)) {
      return { name, url, root, stop: () => stopProcess(child, temp) };
    }
    await stopProcess(child, undefined);
    if (attempt === 3) {
      await rm(temp, { recursive: true, force: true });
      throw new Error(`${name} did not start on ${url}: ${stderr.slice(-2000)}`);
    }
  }
}

/** Poll until the server answers any HTTP request, or its process exits. */
async function answers(url: string, child: ChildProcess): Promise<boolean> {
  for (let tries = 0; tries < 300; tries++) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
      return true;
    } catch {
      await delay(100);
    }
  }
  return false;
}

async function stopProcess(child: ChildProcess, temp: string | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (temp !== undefined) await rm(temp, { recursive: true, force: true });
}

/** `python3 -m http.server`: no Range support, Last-Modified but no ETag. */
export const startPythonHttpServer = () =>
  startProcess('python-http-server', async (port, root) => ({
    command: binaries.python3,
    args: ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', root, String(port)],
  }));

const apacheModules = ['mpm_event', 'authz_core', 'mime', 'filter', 'deflate', 'headers'];

/**
 * Debian's Apache 2.4 with mod_deflate compressing every type (a common misconfiguration of
 * `AddOutputFilterByType DEFLATE` lists): it must still send plain bytes to a client that asks
 * for `Accept-Encoding: identity`.
 */
export const startApache = () =>
  startProcess('apache2', async (port, root, state) => {
    const config = join(state, 'httpd.conf');
    await writeFile(
      config,
      [
        `ServerRoot "${state}"`,
        ...apacheModules.map(
          (module) => `LoadModule ${module}_module /usr/lib/apache2/modules/mod_${module}.so`,
        ),
        `Listen 127.0.0.1:${port}`,
        'ServerName 127.0.0.1',
        'User www-data',
        'Group www-data',
        `PidFile "${state}/httpd.pid"`,
        `ErrorLog "${state}/error.log"`,
        `Mutex file:${state} default`,
        'TypesConfig /etc/mime.types',
        `DocumentRoot "${root}"`,
        `<Directory "${root}">`,
        '  Require all granted',
        '</Directory>',
        'SetOutputFilter DEFLATE',
        '',
      ].join('\n'),
    );
    return { command: binaries.apache2, args: ['-f', config, '-DFOREGROUND'] };
  });

/**
 * Debian's lighttpd 1.4 with a minimal config and its stat cache off: with the default cache a
 * file replaced less than about a second earlier is served with the old ETag, Last-Modified and
 * size over the new bytes, which no client can detect (see docs/remote-sources.md).
 */
export const startLighttpd = () =>
  startProcess('lighttpd', async (port, root, state) => {
    const config = join(state, 'lighttpd.conf');
    await writeFile(
      config,
      [
        `server.document-root = "${root}"`,
        `server.bind = "127.0.0.1"`,
        `server.port = ${port}`,
        `server.errorlog = "${state}/error.log"`,
        'server.stat-cache-engine = "disable"',
        'include_shell "/usr/share/lighttpd/create-mime.conf.pl"',
        '',
      ].join('\n'),
    );
    return { command: binaries.lighttpd, args: ['-D', '-f', config] };
  });

/** Debian's Caddy 2 `file_server`, admin endpoint off (several may run at once). */
export const startCaddy = () =>
  startProcess('caddy', async (port, root, state) => {
    const config = join(state, 'Caddyfile');
    await writeFile(
      config,
      [
        '{',
        '  admin off',
        '  auto_https off',
        '}',
        `http://127.0.0.1:${port} {`,
        `  root * ${root}`,
        '  file_server',
        '}',
        '',
      ].join('\n'),
    );
    return {
      command: binaries.caddy,
      args: ['run', '--config', config, '--adapter', 'caddyfile'],
      env: { ...process.env, HOME: state, XDG_DATA_HOME: state, XDG_CONFIG_HOME: state },
    };
  });
