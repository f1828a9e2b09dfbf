import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withNginx } from '@reprokit/http-test-servers';
import { type ExampleWorkspace, REPO_ROOT } from './example-workspace.js';
import { extractCodeBlocks } from './extract-code-blocks.js';

/** One README example: how to run it and what its output must show. */
export interface ReadmeExampleCase {
  /** `<readme> #<index of the ts block>`: what a failure points at. */
  readonly name: string;
  /** Why the case cannot run here, or undefined when it can. */
  skipReason?(): string | undefined;
  run(workspace: ExampleWorkspace): void | Promise<void>;
}

function block(readme: string, index: number): string {
  const blocks = extractCodeBlocks(join(REPO_ROOT, readme), 'ts');
  const code = blocks[index];
  assert.ok(code !== undefined, `${readme} has ${blocks.length} ts blocks, not ${index + 1}`);
  return code;
}

/** Replaces exactly one occurrence, so an edited README fails loudly instead of running stale code. */
function replaceOnce(code: string, search: string, replacement: string): string {
  const at = code.indexOf(search);
  assert.ok(at >= 0 && code.indexOf(search, at + 1) < 0, `expected one "${search.slice(0, 60)}"`);
  return code.slice(0, at) + replacement + code.slice(at + search.length);
}

const HEX_64 = /^[0-9a-f]{64}$/;

/** Stands in for the `token` the streaming sketch sends; nginx logs that one came. */
const STREAMING_TOKEN = 'readme-example-token';

/** Appended to the streaming sketches: run the session on the first example's input. */
const PRINT_Y = `
const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
console.log(out.y?.data);
`;

/**
 * What the `externalDataUrl` sketch takes from its page: \`model\` opened from \`modelUrl\`,
 * and an \`ort\` that fetches an external data file given by URL, as onnxruntime-web does in a
 * browser. onnxruntime-web in Node reads such a string as a file path, and onnxruntime-node
 * takes bytes, so the stand-in fetches the file whole and hands onnxruntime-node the bytes.
 */
function webUrlPrelude(modelUrl: string): string {
  return `import { createSession, openOnnxModel } from '@reprokit/onnxruntime';
import * as nodeOrt from 'onnxruntime-node';

const modelUrl = ${JSON.stringify(modelUrl)};
const model = await openOnnxModel(modelUrl);
const ort = {
  Tensor: nodeOrt.Tensor,
  InferenceSession: {
    async create(bytes: Uint8Array, options: nodeOrt.InferenceSession.SessionOptions = {}) {
      const externalData = await Promise.all(
        (options.externalData ?? []).map(async (entry) => {
          if (typeof entry !== 'object' || typeof entry.data !== 'string') return entry;
          const response = await fetch(entry.data);
          if (!response.ok) throw new Error(\`\${entry.data}: \${response.status}\`);
          return { path: entry.path, data: new Uint8Array(await response.arrayBuffer()) };
        }),
      );
      return nodeOrt.InferenceSession.create(bytes, { ...options, externalData });
    },
  },
};
`;
}
const TFJS_ONNX_FIXTURE = 'packages/tfjs-onnx/test/fixtures/pytorch/mlp.onnx';

export const README_EXAMPLE_CASES: readonly ReadmeExampleCase[] = [
  {
    name: 'packages/core/README.md #0',
    run(workspace) {
      const code = extractCodeBlocks(join(REPO_ROOT, 'packages/core/README.md'), 'js')[0];
      assert.ok(code !== undefined, 'packages/core/README.md has no js block');
      workspace.write('core.ts', code);
      const lines = workspace.node('core.ts').lines;
      assert.equal(
        lines.at(-1),
        'true',
        'the fingerprint of the file read back must equal the original',
      );
      assert.ok(workspace.exists('model.safetensors'));
    },
  },
  {
    name: 'packages/core/README.md #1 (a sharded index, streamed)',
    run(workspace) {
      const code = extractCodeBlocks(join(REPO_ROOT, 'packages/core/README.md'), 'js')[1];
      assert.ok(code !== undefined, 'packages/core/README.md has no second js block');
      workspace.write('index.ts', code);
      assert.deepEqual(workspace.node('index.ts').lines, [
        'model-00002-of-00002.safetensors',
        '2 16',
      ]);
    },
  },
  {
    name: "packages/core/README.md #2 (Python's random numbers)",
    run(workspace) {
      const code = extractCodeBlocks(join(REPO_ROOT, 'packages/core/README.md'), 'js')[2];
      assert.ok(code !== undefined, 'packages/core/README.md has no third js block');
      workspace.write('python.ts', code);
      // What CPython 3.11 / NumPy 1.24 print for the calls in the comments, and the float32
      // kernel value of the worked Keras example.
      assert.deepEqual(workspace.node('python.ts').lines, [
        '0.6394267984578837',
        'bdeca',
        '8 1 5 0 7 2 9 4 3 6',
        '0.6192882061004639',
      ]);
    },
  },
  {
    name: 'packages/core/README.md #3 (remote files, a Hub layout on nginx on loopback)',
    async run(workspace) {
      const readme = join(REPO_ROOT, 'packages/core/README.md');
      const [first, remote] = [0, 3].map((index) => extractCodeBlocks(readme, 'js')[index]);
      assert.ok(
        first !== undefined && remote !== undefined,
        'packages/core/README.md has no 4th js block',
      );
      // The first example writes model.safetensors; nginx serves it where the Hub's
      // resolve URL of openai-community/gpt2 would put it, and the example gets that endpoint.
      workspace.write('core.ts', first);
      workspace.node('core.ts');
      const hubPath = 'openai-community/gpt2/resolve/main/model.safetensors';
      const served = join(workspace.folder, 'hub', hubPath);
      mkdirSync(join(served, '..'), { recursive: true });
      copyFileSync(join(workspace.folder, 'model.safetensors'), served);
      const bytes = readFileSync(join(workspace.folder, 'model.safetensors'));
      const headerLength = Number(bytes.readBigUInt64LE(0));
      const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
      const tensors = Object.keys(header).filter((name) => name !== '__metadata__').length;
      await withNginx({ root: join(workspace.folder, 'hub') }, async (nginx) => {
        workspace.write(
          'hub.ts',
          replaceOnce(
            remote,
            "file: 'model.safetensors' }",
            `file: 'model.safetensors', endpoint: ${JSON.stringify(nginx.url)} }`,
          ),
        );
        assert.equal(
          workspace.node('hub.ts').lines.at(-1),
          `${bytes.length} bytes, ${tensors} tensors`,
        );
        const log = await nginx.waitForAccessLog(1);
        assert.ok(
          log.length > 0 && log.every((entry) => entry.uri === `/${hubPath}`),
          JSON.stringify(log),
        );
      });
    },
  },
  {
    name: 'README.md #0 (short example)',
    run(workspace) {
      const code = block('README.md', 0);
      workspace.write('root.ts', code);
      workspace.write('root-43.ts', replaceOnce(code, 'seedEverything(42', 'seedEverything(43'));
      const first = workspace.node('root.ts').lines.at(-1) ?? '';
      const second = workspace.node('root.ts').lines.at(-1) ?? '';
      const other = workspace.node('root-43.ts').lines.at(-1) ?? '';
      assert.match(first, HEX_64);
      assert.equal(second, first, 'seed 42 twice must print the same fingerprint');
      assert.notEqual(other, first, 'seed 43 must print another fingerprint');
      assert.ok(workspace.exists('model.safetensors'));
    },
  },
  {
    name: 'packages/tfjs/README.md #0 (save, load, read, write)',
    run(workspace) {
      workspace.write('tfjs-main.ts', block('packages/tfjs/README.md', 0));
      assert.deepEqual(workspace.node('tfjs-main.ts').lines, ['true', 'true']);
    },
  },
  {
    name: 'packages/tfjs/README.md #1 (bytes and Blobs, no paths)',
    run(workspace) {
      workspace.write('tfjs-bytes.ts', block('packages/tfjs/README.md', 1));
      assert.deepEqual(workspace.node('tfjs-bytes.ts').lines, ['1 dense/kernel dense/bias']);
    },
  },
  {
    name: 'packages/tfjs/README.md #2 (exact resume in a new process)',
    run(workspace) {
      const code = block('packages/tfjs/README.md', 2);
      const branchStart = code.indexOf("if (process.argv[2] === 'first')");
      const branchEnd = code.indexOf('console.log(fingerprint');
      assert.ok(branchStart >= 0 && branchEnd > branchStart, 'resume example changed shape');
      const uninterrupted = `${code.slice(0, branchStart)}await model.fit(xs, ys, { epochs: 4, batchSize: 16, verbose: 0 });\n${code.slice(branchEnd)}`;
      workspace.write('train.ts', code);
      workspace.write('train-full.ts', uninterrupted);
      workspace.write('train-no-rng.ts', replaceOnce(code, 'scope.restore(seedSnapshot);', ''));
      workspace.node('train.ts', ['first']);
      const resumed = workspace.node('train.ts', ['resume']).lines.at(-1) ?? '';
      const full = workspace.node('train-full.ts').lines.at(-1) ?? '';
      const withoutRng = workspace.node('train-no-rng.ts', ['resume']).lines.at(-1) ?? '';
      assert.match(full, HEX_64);
      assert.equal(resumed, full, 'resumed run must equal one fit({ epochs: 4 })');
      assert.notEqual(withoutRng, full, 'without the RNG snapshot the run must differ');
    },
  },
  {
    name: 'packages/tfjs/README.md #3 (streaming load from a URL, from nginx on loopback)',
    async run(workspace) {
      const readme = 'packages/tfjs/README.md';
      // The first example saves model.safetensors (weights and topology); nginx serves it.
      workspace.write('tfjs-main.ts', block(readme, 0));
      workspace.node('tfjs-main.ts');
      await withNginx({ root: workspace.folder }, async (nginx) => {
        const code = replaceOnce(
          block(readme, 3),
          "'https://cdn.example.com/llm/model.safetensors.index.json'",
          JSON.stringify(`${nginx.url}/model.safetensors`),
        );
        workspace.write(
          'tfjs-stream.ts',
          `import * as tf from '@tensorflow/tfjs';\nconst token = '${STREAMING_TOKEN}';\n${code}\nconsole.log(model.layers.length);\n`,
        );
        // Dense(4 -> 8), Dropout, Dense(8 -> 2): two layers with weights, (40 + 18) float32s.
        assert.deepEqual(workspace.node('tfjs-stream.ts').lines.slice(-2), [
          '2/2 layers, 232/232 bytes',
          '3',
        ]);
        const log = await nginx.waitForAccessLog(1);
        assert.ok(log.length > 0, 'the model is read from nginx');
        assert.ok(
          log.every((entry) => entry.uri === '/model.safetensors' && entry.authorization),
          `every request is for the file and carries the sketch's Authorization header: ${JSON.stringify(log)}`,
        );
      });
    },
  },
  {
    name: 'packages/tfjs/docs/seed-control.md #0',
    run(workspace) {
      workspace.write('seed-control.ts', block('packages/tfjs/docs/seed-control.md', 0));
      const a = workspace.node('seed-control.ts').stdout;
      const b = workspace.node('seed-control.ts').stdout;
      assert.match(a, /^\[ -?\d/);
      assert.equal(b, a, 'two runs must print the same weights');
    },
  },
  {
    name: 'packages/onnxruntime/README.md #0, #1, #4 (Node, bytes, store)',
    run(workspace) {
      const readme = 'packages/onnxruntime/README.md';
      workspace.write('ort-node.ts', block(readme, 0));
      const first = workspace.node('ort-node.ts').lines;
      const second = workspace.node('ort-node.ts').lines;
      assert.equal(first[0], "[ 'W', 'b' ]");
      assert.match(first.at(-1) ?? '', /^Float32Array\(2\) \[.*\] Float32Array\(2\) \[.*\]$/);
      assert.deepEqual(second, first, 'seeded sessions must print the same numbers twice');
      assert.ok(workspace.exists('out/model.onnx') && workspace.exists('out/model.safetensors'));
      workspace.write('ort-bytes.ts', block(readme, 1));
      const bytes = workspace.node('ort-bytes.ts').lines;
      assert.equal(bytes[0], '[ 3, 2 ]');
      // The same weights and input as the first example: the same y.
      assert.equal(bytes.at(-1), first.at(-1)?.split(' Float32Array')[0]);
      workspace.write('ort-store.ts', block(readme, 4)); // #2 and #3 (streaming) run against nginx, below
      assert.equal(
        workspace.node('ort-store.ts').lines.at(-1),
        "[ 'saved/net.onnx', 'net.safetensors' ]",
      );
    },
  },
  {
    name: 'packages/onnxruntime/README.md #2-#3 (streaming loads, from nginx on loopback)',
    async run(workspace) {
      const readme = 'packages/onnxruntime/README.md';
      // The first example writes out/model.onnx and the out/model.safetensors it references:
      // nginx serves that folder, and its y is what a session from the served files must give.
      workspace.write('ort-node.ts', block(readme, 0));
      const expectedY = workspace.node('ort-node.ts').lines.at(-1)?.split(' Float32Array')[0];
      assert.match(expectedY ?? '', /^Float32Array\(2\) \[/);
      const dataFileSize = statSync(join(workspace.folder, 'out/model.safetensors')).size;
      await withNginx({ root: join(workspace.folder, 'out') }, async (nginx) => {
        const modelUrl = `${nginx.url}/model.onnx`;
        workspace.write(
          'ort-stream.ts',
          `const token = '${STREAMING_TOKEN}';\n${replaceOnce(
            block(readme, 2),
            "'https://cdn.example.com/net/model.onnx'",
            JSON.stringify(modelUrl),
          )}${PRINT_Y}`,
        );
        assert.equal(workspace.node('ort-stream.ts').lines.at(-1), expectedY);
        const streamed = await nginx.waitForAccessLog(2);
        const dataReads = streamed.filter((entry) => entry.uri === '/model.safetensors');
        assert.ok(
          streamed.every((entry) => entry.authorization),
          'every request carries the Authorization header of the sketch',
        );
        assert.ok(streamed.some((entry) => entry.uri === '/model.onnx'));
        assert.ok(dataReads.length > 0, 'the data file is read from the server');
        assert.ok(
          dataReads.every((entry) => entry.status === 206 && entry.range.startsWith('bytes=')),
          `the data file is read by range: ${JSON.stringify(dataReads)}`,
        );
        await nginx.clearAccessLog();

        workspace.write('ort-web-url.ts', webUrlPrelude(modelUrl) + block(readme, 3) + PRINT_Y);
        assert.equal(workspace.node('ort-web-url.ts').lines.at(-1), expectedY);
        const fetched = (await nginx.waitForAccessLog(2)).filter(
          (entry) => entry.uri === '/model.safetensors',
        );
        // One whole fetch (the stand-in doing what onnxruntime-web does), no range of reprokit's.
        assert.deepEqual(
          fetched.map((entry) => [entry.status, entry.range, entry.bodyBytesSent]),
          [[200, '', dataFileSize]],
          JSON.stringify(fetched),
        );
      });
    },
  },
  {
    name: 'packages/tfjs-onnx/README.md #0 (export)',
    run(workspace) {
      workspace.write('export.ts', block('packages/tfjs-onnx/README.md', 0));
      const line = workspace.node('export.ts').lines.at(-1) ?? '';
      const match = /^\[ 2, 10 \] (\S+)$/.exec(line);
      assert.ok(match !== null, `unexpected output: ${line}`);
      assert.ok(Number(match[1]) <= 1e-5, `ORT vs tfjs difference ${match[1]}`);
    },
  },
  {
    name: 'packages/tfjs-onnx/README.md #1 (onnxToKeras / kerasToOnnx)',
    skipReason: () =>
      existsSync(join(REPO_ROOT, TFJS_ONNX_FIXTURE))
        ? undefined
        : `${TFJS_ONNX_FIXTURE} (the PyTorch-exported MLP) is not in the tree`,
    run(workspace) {
      workspace.copyFromRepo(TFJS_ONNX_FIXTURE, 'mlp.onnx');
      workspace.write('mapping.ts', block('packages/tfjs-onnx/README.md', 1));
      const { lines } = workspace.node('mapping.ts');
      assert.deepEqual(lines.slice(0, 2), [
        'fc1.weight -> dense/kernel : transpose [1,0] ([out,in] -> [in,out])',
        'fc1.bias -> dense/bias : rename',
      ]);
      assert.equal(lines.length, 6);
      assert.ok(workspace.exists('fine-tuned.onnx'));
    },
  },
  {
    name: 'packages/conformance/README.md #0-#2, #4 (vitest)',
    run(workspace) {
      const readme = 'packages/conformance/README.md';
      workspace.write('test/math-random.test.ts', block(readme, 0));
      // The examples sit in an adapter's test/ folder; here the adapter is imported by name.
      workspace.write(
        'test/tfjs-seed.test.ts',
        replaceOnce(block(readme, 1), "'../src/index.js'", "'@reprokit/tfjs'"),
      );
      workspace.write(
        'test/tfjs-checkpoint.test.ts',
        replaceOnce(block(readme, 2), "'../src/index.js'", "'@reprokit/tfjs'"),
      );
      // #3 registers a store suite on a corpus path and a fixture module of its own: not run.
      workspace.write('test/bytes-source.test.ts', block(readme, 4));
      workspace.typecheck();
      const { stdout } = workspace.vitest(['test/']);
      // 32 from #0-#2, 9 from describeByteSource on bytesSource (#4).
      assert.match(stdout, /Tests\s+41 passed \(41\)/, stdout);
    },
  },
  {
    name: 'packages/keras/README.md #0 (save_weights / load_weights, then h5py)',
    run(workspace) {
      const code = extractCodeBlocks(join(REPO_ROOT, 'packages/keras/README.md'), 'js')[0];
      assert.ok(code !== undefined, 'packages/keras/README.md has no js block');
      workspace.write('keras.ts', code);
      assert.deepEqual(workspace.node('keras.ts').lines.slice(-1), ['true']);
      const python = extractCodeBlocks(join(REPO_ROOT, 'packages/keras/README.md'), 'python')[0];
      assert.ok(python !== undefined, 'packages/keras/README.md has no python block');
      workspace.write('check.py', python);
      const printed = workspace.python('check.py').lines;
      assert.equal(printed[0], "[b'dense']");
      assert.ok((printed[1] ?? '').startsWith('[['), `the kernel as numbers: ${printed[1]}`);
    },
  },
  {
    name: 'packages/keras/README.md ts #0 (a Keras file fetched in a page, from nginx on loopback)',
    async run(workspace) {
      const readme = join(REPO_ROOT, 'packages/keras/README.md');
      const writer = extractCodeBlocks(readme, 'js')[0];
      const reader = extractCodeBlocks(readme, 'ts')[0];
      assert.ok(
        writer !== undefined && reader !== undefined,
        'packages/keras/README.md changed shape',
      );
      // The js example's save_weights file, served where the sketch fetches it.
      workspace.write('keras-write.ts', writer);
      workspace.node('keras-write.ts');
      const served = join(workspace.folder, 'site/models/model.h5');
      mkdirSync(join(served, '..'), { recursive: true });
      copyFileSync(join(workspace.folder, 'test.h5'), served);
      await withNginx({ root: join(workspace.folder, 'site') }, async (nginx) => {
        // The sketch's surroundings: `tf`, and a model of the file's architecture.
        const prelude = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputDim: 1 })] });
`;
        const code = replaceOnce(
          reader,
          "fetch('/models/model.h5')",
          `fetch('${nginx.url}/models/model.h5')`,
        );
        workspace.write(
          'keras-fetch.ts',
          `${prelude}${code}
console.log(format, tensors.length);
console.log(String(await model.getWeights()[0]?.data()));
`,
        );
        const lines = workspace.node('keras-fetch.ts').lines;
        assert.equal(lines.at(-2), 'keras2-h5 2');
        // The kernel the js example saved, as tfjs prints it there (same seed, same model).
        workspace.write(
          'keras-expected.ts',
          replaceOnce(
            writer,
            'console.log(String(before) === String(after));',
            'console.log(String(before));',
          ),
        );
        assert.equal(lines.at(-1), workspace.node('keras-expected.ts').lines.at(-1));
      });
    },
  },
  {
    name: 'packages/keras/README.md ts #1 (encodeKeras, read back by h5py)',
    run(workspace) {
      const code = block('packages/keras/README.md', 1);
      // The sketch's `checkpoint`: one Dense layer named "head" (the name its layerClasses uses).
      const prelude = `import { writeFile } from 'node:fs/promises';
import { createCheckpoint, fromTypedArray } from '@reprokit/core';

const checkpoint = createCheckpoint([
  ['head/kernel', fromTypedArray('F32', [3, 2], Float32Array.from([1, 2, 3, 4, 5, 6]))],
  ['head/bias', fromTypedArray('F32', [2], Float32Array.from([0.5, -0.5]))],
]);
`;
      workspace.write(
        'keras-encode.ts',
        `${prelude}${code}
await writeFile('save-weights.h5', h5);
await writeFile('model.weights.h5', weights);
`,
      );
      workspace.node('keras-encode.ts');
      workspace.write(
        'check-encoded.py',
        `import h5py
with h5py.File('save-weights.h5', 'r') as f:
    print([name.decode() for name in f.attrs['layer_names']])
    print(f['head/head/kernel:0'][()].flatten().tolist(), f['head/head/bias:0'][()].tolist())
with h5py.File('model.weights.h5', 'r') as f:
    names = []
    f.visit(names.append)
    print(sorted(name for name in names if name.startswith('layers/')))
    print(f['layers/dense/vars/0'][()].flatten().tolist(), f['layers/dense/vars/1'][()].tolist())
`,
      );
      assert.deepEqual(workspace.python('check-encoded.py').lines, [
        "['head']",
        '[1.0, 2.0, 3.0, 4.0, 5.0, 6.0] [0.5, -0.5]',
        "['layers/dense', 'layers/dense/vars', 'layers/dense/vars/0', 'layers/dense/vars/1']",
        '[1.0, 2.0, 3.0, 4.0, 5.0, 6.0] [0.5, -0.5]',
      ]);
    },
  },
  {
    name: 'examples/choose-a-backend/README.md #2-#3 (the author side, excerpts with their surroundings)',
    run(workspace) {
      const readme = 'examples/choose-a-backend/README.md';
      for (const name of ['model.json', 'model.onnx', 'model.safetensors']) {
        workspace.copyFromRepo(`examples/choose-a-backend/model/${name}`, `model/${name}`);
      }
      // What the README says comes from the surrounding code: `tf` / `ort`, and `pixels` and
      // `count` (here the package's 24 test digits).
      const fixture = join(REPO_ROOT, 'examples/choose-a-backend/test/fixtures/digits.json');
      const digits = `import { readFile } from 'node:fs/promises';
const images: number[][] = JSON.parse(await readFile(${JSON.stringify(fixture)}, 'utf8')).pixels;
const pixels = Float32Array.from(images.flat());
const count = images.length;
const labelsOf = (logits: Float32Array) =>
  Array.from({ length: count }, (_, image) => {
    const row = Array.from(logits.subarray(image * 10, image * 10 + 10));
    return row.indexOf(Math.max(...row));
  }).join('');
`;
      workspace.write(
        'author-tfjs.ts',
        `import * as tf from '@tensorflow/tfjs';\n${digits}${block(readme, 2)}
console.log(labelsOf((await (logits as tf.Tensor).data()) as Float32Array));
`,
      );
      workspace.write(
        'author-ort.ts',
        `import * as ort from 'onnxruntime-node';\n${digits}${block(readme, 3)}
console.log(labelsOf(output[session.outputNames[0] ?? '']?.data as Float32Array));
`,
      );
      const tfjs = workspace.node('author-tfjs.ts').lines.at(-1) ?? '';
      const ort = workspace.node('author-ort.ts').lines.at(-1) ?? '';
      assert.match(tfjs, /^\d{24}$/);
      assert.equal(ort, tfjs, 'both excerpts must give the same labels');
    },
  },
  {
    name: 'examples/choose-a-backend/README.md #0 (what the user writes)',
    run(workspace) {
      const fixture = join(REPO_ROOT, 'examples/choose-a-backend/test/fixtures/digits.json');
      const prelude = `import { readFileSync } from 'node:fs';\nconst images = JSON.parse(readFileSync(${JSON.stringify(fixture)}, 'utf8')).pixels;\n`;
      const code = block('examples/choose-a-backend/README.md', 0);
      const report = '\nconsole.log(Array.from(labels).join(""), logits.length);\n';
      workspace.write('user-ort.ts', prelude + code + report);
      workspace.write(
        'user-tfjs.ts',
        prelude + replaceOnce(code, "backend: 'onnxruntime'", "backend: 'tfjs'") + report,
      );
      const ort = workspace.node('user-ort.ts').lines.at(-1) ?? '';
      const tfjs = workspace.node('user-tfjs.ts').lines.at(-1) ?? '';
      assert.match(ort, /^\d{24} 240$/);
      assert.equal(tfjs, ort, 'both backends must give the same labels');
    },
  },
];
