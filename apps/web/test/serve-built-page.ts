import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

/** The page built with Vite's API into a temporary folder and served by `vite preview`. */
export interface ServedPage {
  readonly url: string;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Build the page as `pnpm --filter @reprokit/web build` does and serve it on a free port. */
export async function serveBuiltPage(): Promise<ServedPage> {
  const outDir = await mkdtemp(join(tmpdir(), 'reprokit-web-build-'));
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview printed no local URL');
  return {
    url,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
