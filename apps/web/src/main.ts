import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web/wasm';
import { DigitCanvas } from './digit-canvas.js';
import { describeLoadProblem } from './load-problem.js';
import { type LoadedCheckpoint, loadCheckpoint, type ModelGraphs } from './loaded-checkpoint.js';
import { fetchBytes, MODEL_URLS } from './model-files.js';
import { NODE_MLP_FINGERPRINT, NODE_MLP_INITIAL_FINGERPRINT } from './node-training-result.js';
import type { PlainRuntimeResult } from './page-api.js';
import { PAGE_TRAINING_PLAN } from './page-training-plan.js';
import { renderResults } from './results-view.js';
import { oneAtATime } from './run-one-at-a-time.js';
import type { RuntimeResult } from './runtime-result.js';
import { trainMlpInPage } from './train-in-page.js';
import { useServedWasmFiles } from './wasm-files.js';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = element('status');
const message = element('message');
const results = element('results');
const serial = oneAtATime();
let current: LoadedCheckpoint | undefined;
let graphs: ModelGraphs | undefined;

const canvas = new DigitCanvas(element<HTMLCanvasElement>('drawing'), () => {
  void classifyDrawing();
});

function showMessage(kind: 'error' | 'ok', text: string, code?: string): void {
  message.hidden = false;
  message.className = kind;
  message.dataset.code = code ?? '';
  message.textContent = text;
}

function showCheckpoint(loaded: LoadedCheckpoint): void {
  element('checkpoint-name').textContent =
    `${loaded.name} (${(loaded.byteLength / 1000).toFixed(1)} kB)`;
  element('checkpoint-fingerprint').textContent = loaded.fingerprint;
  const allSame = loaded.models.every((model) => model.weightsFingerprint === loaded.fingerprint);
  element('runtime-fingerprints').textContent = allSame
    ? 'the same in all three runtimes (read back from each)'
    : loaded.models.map((model) => `${model.runtime}: ${model.weightsFingerprint}`).join('\n');
}

async function classify(pixels: Float32Array, count: number): Promise<RuntimeResult[]> {
  return serial(async () => {
    if (current === undefined) throw new Error('no checkpoint is loaded');
    const answers: RuntimeResult[] = [];
    for (const model of current.models) answers.push(await model.classify(pixels, count));
    return answers;
  });
}

async function classifyDrawing(): Promise<RuntimeResult[] | undefined> {
  if (canvas.isEmpty || current === undefined) return undefined;
  const answers = await classify(canvas.pixels(), 1);
  renderResults(results, answers);
  return answers;
}

/** Load a checkpoint into all runtimes; on any problem keep the previous one and say why. */
async function replaceCheckpoint(name: string, bytes: Uint8Array): Promise<boolean> {
  const loaded = await serial(async () => {
    try {
      return await loadCheckpoint({ tf, ort }, graphs!, name, bytes);
    } catch (error) {
      const problem = describeLoadProblem(name, error);
      const kept = current === undefined ? '' : `\nStill using ${current.name}.`;
      showMessage('error', `${problem.headline}.\n${problem.detail}${kept}`, problem.code);
      return undefined;
    }
  });
  if (loaded === undefined) return false;
  const previous = current;
  current = loaded;
  await serial(async () => previous?.dispose());
  showCheckpoint(loaded);
  showMessage('ok', `Loaded ${name} into all three runtimes.`);
  await classifyDrawing();
  return true;
}

async function loadFile(file: File): Promise<void> {
  await replaceCheckpoint(file.name, new Uint8Array(await file.arrayBuffer()));
}

function plain(answers: readonly RuntimeResult[]): PlainRuntimeResult[] {
  return answers.map((answer) => ({
    runtime: answer.runtime,
    labels: Array.from(answer.labels),
    logits: Array.from(answer.logits),
    milliseconds: answer.milliseconds,
  }));
}

function wireControls(): void {
  element('clear').addEventListener('click', () => {
    canvas.clear();
    results.replaceChildren();
  });
  const input = element<HTMLInputElement>('checkpoint-file');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file !== undefined) void loadFile(file);
  });
  const zone = element('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void loadFile(file);
  });

  const plan = PAGE_TRAINING_PLAN;
  element('training-about').textContent =
    `The Node demo's MLP (784-128-BatchNorm-Dropout-64-10, Adam), trained on tfjs wasm with seed ${plan.seed} ` +
    `on ${plan.mlp.train} real MNIST digits for ${plan.mlp.epochs} epochs: the sizes of "pnpm demo --fast".`;
  element('node-fingerprint').textContent = NODE_MLP_FINGERPRINT;
  element('node-initial-fingerprint').textContent = NODE_MLP_INITIAL_FINGERPRINT;
  const button = element<HTMLButtonElement>('train');
  const trainingStatus = element('training-status');
  button.disabled = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    trainingStatus.textContent = 'fetching the MNIST digits…';
    void serial(() =>
      trainMlpInPage(tf, plan, (epoch) => {
        trainingStatus.textContent = `training epoch ${epoch} of ${plan.mlp.epochs}…`;
      }),
    )
      .then((result) => {
        const sameInitial = result.initialFingerprint === NODE_MLP_INITIAL_FINGERPRINT;
        const same = result.fingerprint === NODE_MLP_FINGERPRINT;
        element('page-initial-fingerprint').textContent = result.initialFingerprint;
        element('page-fingerprint').textContent = result.fingerprint;
        trainingStatus.textContent =
          `Initial weights ${sameInitial ? 'bit for bit as in Node' : 'differ from Node'}; trained weights ` +
          `${same ? 'bit for bit as in Node' : 'differ from Node'}. ` +
          `Test accuracy ${(result.testAccuracy * 100).toFixed(1)}% on ${plan.mlp.test} held-out digits; ` +
          `fit ${(result.fitMilliseconds / 1000).toFixed(1)} s.`;
        trainingStatus.dataset.state = 'done';
      })
      .catch((error: unknown) => {
        trainingStatus.textContent = `training failed: ${error instanceof Error ? error.message : String(error)}`;
        trainingStatus.dataset.state = 'failed';
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}

async function start(): Promise<void> {
  useServedWasmFiles(ort);
  tf.enableProdMode();
  const [topologyText, graph, weights] = await Promise.all([
    fetch(MODEL_URLS.topology).then((response) => response.text()),
    fetchBytes(MODEL_URLS.graph),
    fetchBytes(MODEL_URLS.weights),
  ]);
  graphs = { topology: JSON.parse(topologyText) as ModelGraphs['topology'], graph };
  if (!(await replaceCheckpoint('model.safetensors', weights))) {
    throw new Error(message.textContent ?? 'the shipped checkpoint did not load');
  }
  message.hidden = true;
  wireControls();
  status.dataset.state = 'ready';
  status.textContent = `ready: tfjs ${tf.version.tfjs} (webgl, wasm), onnxruntime-web ${ort.env.versions.web ?? ''} (wasm, 1 thread)`;
}

const ready = start().catch((error: unknown) => {
  status.dataset.state = 'failed';
  status.textContent = `failed to start: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});

window.reprokitWeb = {
  ready,
  checkpoint: () => ({
    name: current?.name ?? '',
    fingerprint: current?.fingerprint ?? '',
    runtimes: (current?.models ?? []).map(({ runtime, weightsFingerprint }) => ({
      runtime,
      weightsFingerprint,
    })),
  }),
  classify: async (pixels, count) => plain(await classify(Float32Array.from(pixels), count)),
  showDigit: async (pixels) => {
    const image = Float32Array.from(pixels);
    canvas.show(image);
    const answers = await classify(image, 1);
    renderResults(results, answers);
    return plain(answers);
  },
};
