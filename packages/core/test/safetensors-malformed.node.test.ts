/*
 * The malformed corpus (malformed-safetensors-cases.ts) through the file readers of
 * @reprokit/core/node: whole (`readSafetensors(path)`) and lazy (`openSafetensors(path)`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openSafetensors, readSafetensors } from '../src/node/index.js';
import { expectRefused } from './expect-refused.js';
import { malformedCases } from './malformed-safetensors-cases.js';

const folder = mkdtempSync(join(tmpdir(), 'reprokit-malformed-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('malformed safetensors corpus, from files', () => {
  it.each(malformedCases)('$name: $code', async (malformed) => {
    const path = join(folder, `${malformed.name.replace(/[^a-z0-9]+/gi, '-')}.safetensors`);
    writeFileSync(path, malformed.bytes);
    await expectRefused(malformed, path, [
      ['read', () => readSafetensors(path)],
      [
        'open',
        async () => {
          const file = await openSafetensors(path);
          await file.close();
        },
      ],
    ]);
  });
});
