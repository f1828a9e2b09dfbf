import type { io } from '@tensorflow/tfjs';
import { safetensorsIO } from './safetensors-io.js';

/** The URL scheme `registerSafetensorsRouter` handles. */
export const SAFETENSORS_SCHEME = 'safetensors://';

/**
 * Let tfjs resolve `safetensors://<path>` URLs to `safetensorsIO(path)`, for both
 * `model.save(url)` and `tf.loadLayersModel(url)`. Explicit (nothing is registered on import)
 * and idempotent per tf module (tfjs refuses a URL that two routers claim): a router already
 * registered for the scheme, by this or another copy of the package, is left as it is.
 *
 * @example
 * registerSafetensorsRouter(tf);
 * await model.save('safetensors://out/model.safetensors');
 * const again = await tf.loadLayersModel('safetensors://out/model.safetensors');
 */
export function registerSafetensorsRouter(tf: {
  io: Pick<
    typeof io,
    'registerSaveRouter' | 'registerLoadRouter' | 'getSaveHandlers' | 'getLoadHandlers'
  >;
}): void {
  // Asked of tfjs' own registry (not of a flag here), so a second copy of this package sees it too.
  const probe = `${SAFETENSORS_SCHEME}probe.safetensors`;
  if (tf.io.getSaveHandlers(probe).length > 0 || tf.io.getLoadHandlers(probe).length > 0) return;
  // tfjs routers return null for URLs they do not handle; its type says IOHandler.
  const router = ((url: string | string[]) =>
    typeof url === 'string' && url.startsWith(SAFETENSORS_SCHEME)
      ? safetensorsIO(url.slice(SAFETENSORS_SCHEME.length))
      : null) as Parameters<typeof io.registerSaveRouter>[0];
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}
