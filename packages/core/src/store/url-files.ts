import { httpSource } from '../source/http-source.js';
import type { HttpSourceOptions } from '../source/http-source-options.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import { relativeFileName } from './relative-file-name.js';

/** `CheckpointFiles` on an HTTP server, with a way to close what it opened. */
export interface UrlFiles extends CheckpointFiles {
  close(): Promise<void>;
}

/**
 * `CheckpointFiles` on an HTTP(S) server (a CDN, an object store through public or presigned
 * URLs, the Hugging Face Hub): the entry is read by ranges (`httpSource`), and each file it names
 * is resolved relative to the entry's URL, its query string kept (presigned URLs sign the path
 * only when the server says so: pass `open` your own resolver then). Names that leave the entry's
 * folder are refused (`STORE_INVALID_NAME`).
 *
 * @example
 * const files = await urlFiles('https://cdn.example.com/llm/model.safetensors.index.json');
 * const summary = await shardedSafetensorsStore().inspect(files); // headers only
 * await files.close();
 */
export async function urlFiles(
  url: URL | string,
  options: HttpSourceOptions & { resolve?: (name: string, entry: URL) => URL | string } = {},
): Promise<UrlFiles> {
  const { resolve, ...http } = options;
  const entryUrl = new URL(url);
  const entry = await httpSource(entryUrl, http);
  return {
    entry,
    async open(name) {
      const relative = relativeFileName(name, entry.name);
      const target =
        resolve?.(relative, entryUrl) ??
        Object.assign(new URL(relative.split('/').map(encodeURIComponent).join('/'), entryUrl), {
          search: entryUrl.search,
        });
      return httpSource(target, http);
    },
    close: () => entry.close(),
  };
}
