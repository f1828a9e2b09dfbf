import type { io } from '@tensorflow/tfjs';
import { safetensorsIO } from './safetensors-io.js';

/** The URL scheme `registerSafetensorsRouter` handles. */
export const SAFETENSORS_SCHEME = 'safetensors://';

const registered = new WeakSet<object>();

/**
 * Let tfjs resolve `safetensors://<path>` URLs to `safetensorsIO(path)`, for both
 * `model.save(url)` and `tf.loadLayersModel(url)`. Explicit (nothing is registered on import)
 * and idempotent per tf module: tfjs refuses a URL that two routers claim.
 *
 * @example
 * registerSafetensorsRouter(tf);
 * await model.save('safetensors://out/model.safetensors');
 * const again = await tf.loadLayersModel('safetensors://out/model.safetensors');
 */
export function registerSafetensorsRouter(tf: {
  io: Pick<typeof io, 'registerSaveRouter' | 'registerLoadRouter'>;
}): void {
  if (registered.has(tf.io)) return;
  registered.add(tf.io);
  // tfjs routers return null for URLs they do not handle; its type says IOHandler.
  const router = ((url: string | string[]) =>
    typeof url === 'string' && url.startsWith(SAFETENSORS_SCHEME)
      ? safetensorsIO(url.slice(SAFETENSORS_SCHEME.length))
      : null) as Parameters<typeof io.registerSaveRouter>[0];
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}
