import { afterAll, beforeAll } from 'vitest';
import { type NginxServer, type StartNginxOptions, startNginx } from './start-nginx.js';

/**
 * One nginx for the tests of the calling file (or `describe` block): started in a `beforeAll`
 * hook registered here, stopped in an `afterAll`. The returned handle forwards to the running
 * server, so tests and later hooks use it directly (`nginx.url`, `nginx.root`); used before
 * the server started or after it stopped, it throws. Hooks registered after this call run after
 * nginx has started and (vitest's default `stack` order) their `afterAll` runs before it stops,
 * so a proxy in front of it can be started and stopped there.
 *
 * @example
 * const nginx = useNginx();
 * it('serves ranges', async () => {
 *   await writeFile(join(nginx.root, 'a.bin'), bytes);
 *   const response = await fetch(`${nginx.url}/a.bin`, { headers: { Range: 'bytes=0-7' } });
 *   expect(response.status).toBe(206);
 * });
 */
export function useNginx(options: StartNginxOptions = {}): NginxServer {
  let server: NginxServer | undefined;
  beforeAll(async () => {
    server = await startNginx(options);
  });
  afterAll(async () => {
    await server?.stop();
    server = undefined;
  });
  const running = (): NginxServer => {
    if (server === undefined) {
      throw new Error('nginx is not running: use the handle of useNginx() inside tests and hooks');
    }
    return server;
  };
  return {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    get root() {
      return running().root;
    },
    get pid() {
      return running().pid;
    },
    accessLog: () => running().accessLog(),
    waitForAccessLog: (count, timeout) => running().waitForAccessLog(count, timeout),
    clearAccessLog: () => running().clearAccessLog(),
    stop: () => running().stop(),
  };
}
