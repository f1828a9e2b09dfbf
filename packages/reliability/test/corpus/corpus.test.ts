import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeSafetensors, ReprokitError } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { CORPUS_ENTRY_EXTENSION, CORPUS_FORMATS } from '../../src/bad-input/corpus-case.js';
import { readCorpusCase } from '../../src/bad-input/read-corpus-case.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(packageRoot, 'corpus');

type Expected = Record<string, { code: string; why: string }>;

async function expectedCodes(format: string): Promise<Expected> {
  return JSON.parse(await readFile(join(corpus, format, 'expected.json'), 'utf8')) as Expected;
}

async function codeOf(read: () => Promise<unknown>): Promise<string> {
  try {
    await read();
  } catch (error) {
    if (ReprokitError.isInstance(error)) return error.code;
    return `not a ReprokitError: ${String((error as Error)?.stack ?? error)}`;
  }
  return 'no error';
}

describe.each(CORPUS_FORMATS)('corpus/%s', (format) => {
  it('every committed case is rejected with its expected code', async () => {
    const expected = await expectedCodes(format);
    const names = Object.keys(expected);
    expect(names.length).toBeGreaterThanOrEqual(10);
    const actual: Record<string, string> = {};
    const growth: Record<string, number> = {};
    for (const name of names) {
      const before = process.memoryUsage().arrayBuffers;
      actual[name] = await codeOf(() => readCorpusCase(format, join(corpus, format), name));
      growth[name] = process.memoryUsage().arrayBuffers - before;
    }
    expect(actual).toEqual(Object.fromEntries(names.map((name) => [name, expected[name]!.code])));
    // Every case is under 1 KiB; whatever it claims (2^50-byte tensors, 4 GiB shapes), reading
    // it must not allocate more than a little.
    expect(Object.entries(growth).filter(([, bytes]) => bytes > 1 << 20)).toEqual([]);
  });

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
