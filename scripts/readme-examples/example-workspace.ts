import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The monorepo root (this file is in scripts/readme-examples/). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Packages an example may import, by the name a user would write, and where each lives in
 * the workspace. Links point at the package folders, so imports get the built `dist/` (the
 * default export condition), exactly what a user of the published package gets.
 * `digits-example` is the name the choose-a-backend README uses for that package.
 */
const LINKS: Record<string, string> = {
  '@reprokit/core': 'packages/core',
  '@reprokit/tfjs': 'packages/tfjs',
  '@reprokit/onnxruntime': 'packages/onnxruntime',
  '@reprokit/tfjs-onnx': 'packages/tfjs-onnx',
  '@reprokit/conformance': 'packages/conformance',
  '@tensorflow/tfjs': 'apps/demo/node_modules/@tensorflow/tfjs',
  'onnxruntime-node': 'apps/demo/node_modules/onnxruntime-node',
  vitest: 'node_modules/vitest',
  tsx: 'node_modules/tsx',
  '@types/node': 'node_modules/@types/node',
  'digits-example': 'examples/choose-a-backend',
  '@reprokit/keras': 'packages/keras',
};

/** Output of one child process. */
export interface RunResult {
  readonly stdout: string;
  readonly lines: string[];
}

/**
 * A temporary folder laid out like a user's project (ESM `package.json`, `node_modules` links
 * to the built workspace packages) in which README examples are written and run, each in its
 * own Node process. `dispose()` removes it.
 *
 * @example
 * const workspace = createExampleWorkspace();
 * workspace.write('a.mjs', "console.log('hi')");
 * workspace.node('a.mjs').lines; // ['hi']
 */
export function createExampleWorkspace(): ExampleWorkspace {
  return new ExampleWorkspace();
}

export class ExampleWorkspace {
  readonly folder = mkdtempSync(join(tmpdir(), 'reprokit-readme-examples-'));
  private readonly checked = new Set<string>();

  constructor() {
    for (const [name, target] of Object.entries(LINKS)) {
      const link = join(this.folder, 'node_modules', name);
      mkdirSync(resolve(link, '..'), { recursive: true });
      symlinkSync(join(REPO_ROOT, target), link, 'dir');
    }
    this.write('package.json', '{ "type": "module" }\n');
  }

  /** Writes `text` to `name` inside the workspace; returns the absolute path. */
  write(name: string, text: string): string {
    const path = join(this.folder, name);
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  /** Copies a repository file (path relative to the repository root) into the workspace. */
  copyFromRepo(repoPath: string, name: string): void {
    const target = join(this.folder, name);
    mkdirSync(resolve(target, '..'), { recursive: true });
    copyFileSync(join(REPO_ROOT, repoPath), target);
  }

  exists(name: string): boolean {
    return existsSync(join(this.folder, name));
  }

  /**
   * Runs `node <file> ...args` in the workspace (`.ts` files through tsx, as a user running
   * TypeScript would); throws with stderr when it exits non-zero.
   */
  node(file: string, args: readonly string[] = []): RunResult {
    // What is run must type-check under strict TypeScript first, as a user's editor would see it.
    if (file.endsWith('.ts') && !this.checked.has(file)) {
      this.typecheck();
      for (const name of this.typeScriptFiles()) this.checked.add(name);
    }
    const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
    return this.spawn(process.execPath, [...loader, file, ...args]);
  }

  /**
   * Type-checks every `.ts` file of the workspace with the repository's TypeScript under
   * `strict` (and `noUncheckedIndexedAccess`, as this repository does), resolving packages
   * as a user's project would: through their published `types` (the built declarations).
   * Throws with tsc's output when anything does not type-check.
   */
  typecheck(): RunResult {
    this.write(
      'tsconfig.json',
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2023', 'DOM'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noUncheckedIndexedAccess: true,
            types: ['node'],
            skipLibCheck: true,
            noEmit: true,
          },
          include: ['**/*.ts'],
          exclude: ['node_modules'],
        },
        null,
        2,
      )}\n`,
    );
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    return this.spawn(process.execPath, [tsc, '-p', 'tsconfig.json']);
  }

  /** Runs a Python script with Debian's python3 (h5py and NumPy installed by the system script). */
  python(file: string): RunResult {
    return this.spawn('/usr/bin/python3', [file]);
  }

  /** Runs vitest (the repository's copy) on the workspace's test files. */
  vitest(files: readonly string[]): RunResult {
    const bin = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    return this.spawn(process.execPath, [bin, 'run', '--root', this.folder, ...files]);
  }

  /** The `.ts` files written so far (relative names), outside node_modules. */
  private typeScriptFiles(): string[] {
    return (readdirSync(this.folder, { recursive: true }) as string[]).filter(
      (name) => name.endsWith('.ts') && !name.startsWith('node_modules'),
    );
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }

  private spawn(command: string, args: readonly string[]): RunResult {
    const result = spawnSync(command, args, {
      cwd: this.folder,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 240_000,
    });
    if (result.status !== 0) {
      throw new Error(
        `${args.join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`,
      );
    }
    const stdout = result.stdout;
    return { stdout, lines: stdout.split('\n').filter((line) => line.length > 0) };
  }
}
