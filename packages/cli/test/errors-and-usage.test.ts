import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  // Header length says 16 bytes of JSON follow, but they are not JSON.
  const bad = Buffer.alloc(24);
  bad.writeBigUInt64LE(16n);
  bad.write('{"a": oops     }', 8);
  await writeFile(file('bad-json.safetensors'), bad);
  // Header length far beyond the file.
  const huge = Buffer.alloc(16);
  huge.writeBigUInt64LE(1n << 40n);
  await writeFile(file('huge-header.safetensors'), huge);
  await writeFile(file('garbage.onnx'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
  await writeFile(file('model.json'), '{ "weightsManifest": ');
  await writeFile(file('weights.bin'), Buffer.from('just bytes'));
});
afterAll(() => folder.cleanup());

describe('malformed input', () => {
  it.each([
    ['bad-json.safetensors'],
    ['huge-header.safetensors'],
    ['garbage.onnx'],
    ['model.json'],
    ['weights.bin'],
  ])('%s: exit 2 and exactly one line on stderr naming the file', async (name) => {
    for (const command of ['inspect', 'fingerprint']) {
      const run = await runBuiltCli([command, file(name)]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('');
      expect(lines[0]).toMatch(new RegExp(`^reprokit: ${escapeRegExp(file(name))}: \\S`));
      expect(lines[0]).not.toMatch(/\bat .*\.js:\d+/);
    }
  });

  it('--verbose adds the stack trace', async () => {
    const run = await runBuiltCli(['inspect', file('garbage.onnx'), '--verbose']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').length).toBeGreaterThan(2);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('usage', () => {
  it('--help lists every command and exits 0', async () => {
    const run = await runBuiltCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['inspect', 'convert', 'diff', 'fingerprint']) {
      expect(run.stdout).toContain(command);
    }
  });

  it('each command has --help', async () => {
    const run = await runBuiltCli(['convert', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--no-cast');
    expect(run.stdout).toContain('--template');
  });

  it('--version prints the package version', async () => {
    const version = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ).version;
    const run = await runBuiltCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('an unknown command or missing argument exits 2', async () => {
    const unknown = await runBuiltCli(['inspct', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('inspect');
    const missing = await runBuiltCli(['fingerprint']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^reprokit: missing required argument/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
