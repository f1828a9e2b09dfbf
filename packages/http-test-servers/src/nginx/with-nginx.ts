import { type NginxServer, type StartNginxOptions, startNginx } from './start-nginx.js';

/**
 * Run `body` with an nginx started for it, and stop that nginx afterwards whether `body`
 * returns or throws: the whole lifetime in one call, for scripts and single tests. A vitest
 * file that shares one nginx between its tests uses `useNginx` (`@reprokit/http-test-servers/vitest`).
 *
 * @example
 * const sizes = await withNginx({ root: folder }, async (nginx) => {
 *   const response = await fetch(`${nginx.url}/model.safetensors`, { method: 'HEAD' });
 *   return response.headers.get('content-length');
 * });
 */
export async function withNginx<T>(
  options: StartNginxOptions,
  body: (nginx: NginxServer) => Promise<T>,
): Promise<T> {
  const nginx = await startNginx(options);
  try {
    return await body(nginx);
  } finally {
    await nginx.stop();
  }
}
