import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeSafetensors, ReprokitError } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { CORPUS_ENTRY_EXTENSION, CORPUS_FORMATS } from '../../src/bad-input/corpus-case.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(packageRoot, 'corpus');

type Expected = Record<string, { code: string; why: string }>;

async function expectedCodes(format: string): Promise<Expected> {
  return JSON.parse(await readFile(join(corpus, format, 'expected.json'), 'utf8')) as Expected;
}

/** The code of the ReprokitError `read` throws. */
async function codeOf(read: () => Promise<unknown>): Promise<string> {
  try {
    await read();
  } catch (error) {
    if (ReprokitError.isInstance(error)) return error.code;
    return `not a ReprokitError: ${String((error as Error)?.stack ?? error)}`;
  }
  return 'no error';
}

// Each case is read by its format's store in the store conformance suites (test/stores/*):
// there every committed case must be refused with its expected code.
describe.each(CORPUS_FORMATS)('corpus/%s', (format) => {
  it('every entry file in the folder has an expected code', async () => {
    const expected = await expectedCodes(format);
    const extension = CORPUS_ENTRY_EXTENSION[format];
    const entries = (await readdir(join(corpus, format)))
      .filter((file) => file !== 'expected.json' && file.endsWith(extension))
      .filter((file) => format !== 'tfjs' || !file.endsWith('.safetensors.index.json'))
      .map((file) => file.slice(0, -extension.length));
    expect(entries.sort()).toEqual(Object.keys(expected).sort());
  });
});

describe('corpus/safetensors in memory', () => {
  it('decodeSafetensors gives the same code as the file reader for every case', async () => {
    const expected = await expectedCodes('safetensors');
    const actual: Record<string, string> = {};
    for (const name of Object.keys(expected)) {
      const bytes = new Uint8Array(await readFile(join(corpus, 'safetensors', `${name}.safetensors`)));
      actual[name] = await codeOf(async () => decodeSafetensors(bytes));
    }
    expect(actual).toEqual(
      Object.fromEntries(Object.entries(expected).map(([name, item]) => [name, item.code])),
    );
  });
});

describe('scripts/make-corpus.ts', () => {
  it('reproduces the committed corpus byte for byte', async () => {
    const out = join(tmpdir(), `reprokit-corpus-${process.pid}-${Date.now()}`);
    try {
      await promisify(execFile)(
        process.execPath,
        ['--conditions=@reprokit/source', '--import', 'tsx', join(packageRoot, 'scripts/make-corpus.ts'), '--out', out],
        { cwd: packageRoot },
      );
      for (const format of CORPUS_FORMATS) {
        const committed = (await readdir(join(corpus, format))).sort();
        const regenerated = (await readdir(join(out, format))).sort();
        expect(regenerated).toEqual(committed);
        for (const file of committed) {
          const a = await readFile(join(corpus, format, file));
          const b = await readFile(join(out, format, file));
          expect(b.equals(a), `${format}/${file} differs from the committed file`).toBe(true);
        }
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
