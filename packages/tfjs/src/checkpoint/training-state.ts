import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  type SeedSnapshot,
  type WriteReport,
} from '@reprokit/core';
import type { LayersModel, Optimizer, Tensor, Variable } from '@tensorflow/tfjs';
import { OPTIMIZER_PREFIX } from '../artifacts/tfjs-metadata-keys.js';
import type { TfjsModule } from '../tfjs-module.js';
import { checkpointWeightNames } from './checkpoint-weight-names.js';
import { parseMetadataJson } from './parse-metadata-json.js';
import { tfjsCheckpoint } from './tfjs-checkpoint.js';
import { bytesCopy, checkpointDtype, tfjsDtype, typedArrayCopy } from './tfjs-dtype.js';
import { TfjsError } from './tfjs-error.js';

/** Checkpoint prefix of optimizer state (the one `safetensorsIO` and tfjs artifacts use). */
const PREFIX = OPTIMIZER_PREFIX;
/** Optimizer-wide scalar variables that `setWeights` does not restore exactly (Adam's `accBeta1`). */
const STATE_PREFIX = `${PREFIX}state/`;

/** Metadata keys written by `saveTrainingState`. */
export const TRAINING_STATE_KEYS = {
  /** The optimizer's class name (`Adam`). */
  optimizerClass: 'reprokit.optimizer.class',
  /** JSON of the optimizer's `getConfig()`. */
  optimizerConfig: 'reprokit.optimizer.config',
  /** JSON array of the optimizer tensors' checkpoint names in `getWeights()` order (setWeights is positional). */
  optimizerOrder: 'reprokit.optimizer.order',
  /** JSON of the seed snapshot (`scope.snapshot()`), for exact resume. */
  seedSnapshot: 'reprokit.seed.snapshot',
} as const;

export interface SaveTrainingStateOptions {
  /** Default: `model.optimizer` (after `compile`); `null` saves no optimizer state. */
  optimizer?: Optimizer | null;
  /** The RNG state to resume from: `scope.snapshot()` of `seedEverything`. */
  seedSnapshot?: SeedSnapshot;
}

/**
 * Everything needed to resume training exactly, as one Checkpoint: the model's weights under
 * structural names, the optimizer's weights under `optimizer/` (Adam: `optimizer/iter`,
 * `optimizer/dense/kernel/m`, `.../v`, plus `optimizer/state/accBeta1` and `accBeta2`, which
 * tfjs would otherwise recompute with a rounding difference), and the seed snapshot and
 * optimizer class, config and weight order in metadata (`TRAINING_STATE_KEYS`).
 *
 * Files: `writeTrainingState` of `@reprokit/tfjs/node` saves it to a safetensors file; in a
 * browser, `encodeSafetensors(state)` gives the bytes.
 *
 * @example
 * const state = await saveTrainingState(tf, model, { seedSnapshot: scope.snapshot() });
 * const bytes = encodeSafetensors(state); // one portable file
 */
export async function saveTrainingState(
  tf: TfjsModule,
  model: LayersModel,
  options: SaveTrainingStateOptions = {},
): Promise<Checkpoint> {
  const weights = await tfjsCheckpoint(tf).read(model);
  const tensors = new Map(weights.tensors);
  const metadata = new Map(weights.metadata);
  const optimizer = options.optimizer === undefined ? model.optimizer : options.optimizer;
  if (optimizer !== null && optimizer !== undefined) {
    const names = checkpointWeightNames(model);
    const order: string[] = [];
    for (const { name, tensor } of await optimizer.getWeights()) {
      const structural = `${PREFIX}${structuralOptimizerName(name, names)}`;
      if (tensors.has(structural)) {
        throw new TfjsError({
          code: 'TFJS_OPTIMIZER_STATE',
          message: `optimizer weight "${name}" maps to "${structural}", which is already taken`,
          tensor: structural,
        });
      }
      tensors.set(structural, await tensorToCheckpoint(tensor, structural));
      order.push(structural);
    }
    for (const [property, variable] of scalarStateVariables(optimizer)) {
      tensors.set(`${STATE_PREFIX}${property}`, await tensorToCheckpoint(variable, property));
    }
    metadata.set(TRAINING_STATE_KEYS.optimizerClass, optimizer.getClassName());
    metadata.set(TRAINING_STATE_KEYS.optimizerConfig, JSON.stringify(optimizer.getConfig()));
    metadata.set(TRAINING_STATE_KEYS.optimizerOrder, JSON.stringify(order));
  }
  if (options.seedSnapshot !== undefined) {
    metadata.set(TRAINING_STATE_KEYS.seedSnapshot, JSON.stringify(options.seedSnapshot));
  }
  return createCheckpoint(tensors, metadata);
}

export interface LoadTrainingStateOptions {
  /** Default: `model.optimizer`; compile the model with the same optimizer class first. */
  optimizer?: Optimizer | null;
  /** Default `true`: the model part must match exactly (see `tfjsCheckpoint().write`). */
  strict?: boolean;
}

export interface LoadedTrainingState {
  /** What happened to the model's weights. */
  readonly report: WriteReport;
  /** Optimizer tensors restored, by checkpoint name. */
  readonly optimizer: readonly string[];
  /**
   * The stored seed snapshot, to pass to `scope.restore()` (which checks it); `undefined` if
   * none was saved.
   */
  readonly seedSnapshot: SeedSnapshot | undefined;
}

/**
 * Restore what `saveTrainingState` saved: model weights (strict by default), the optimizer's
 * weights and scalar state, and return the seed snapshot for `scope.restore()`. Everything is
 * checked (names, optimizer class, dtypes) before the model or optimizer is touched.
 *
 * Files: `readTrainingState` of `@reprokit/tfjs/node` reads it from a safetensors file.
 *
 * @example
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
 * const { seedSnapshot } = await loadTrainingState(tf, model, readSafetensors(bytes));
 * if (seedSnapshot !== undefined) scope.restore(seedSnapshot);
 */
export async function loadTrainingState(
  tf: TfjsModule,
  model: LayersModel,
  checkpoint: Checkpoint,
  options: LoadTrainingStateOptions = {},
): Promise<LoadedTrainingState> {
  const modelPart = createCheckpoint(
    [...checkpoint.tensors].filter(([name]) => !name.startsWith(PREFIX)),
    checkpoint.metadata,
  );
  const optimizerNames = [...checkpoint.tensors.keys()].filter((name) => name.startsWith(PREFIX));
  const optimizer = options.optimizer === undefined ? model.optimizer : options.optimizer;
  const snapshotText = checkpoint.metadata.get(TRAINING_STATE_KEYS.seedSnapshot);
  const seedSnapshot =
    snapshotText === undefined
      ? undefined
      : (parseMetadataJson(snapshotText, TRAINING_STATE_KEYS.seedSnapshot) as SeedSnapshot);
  const plan =
    optimizerNames.length === 0 ? undefined : planOptimizerRestore(model, checkpoint, optimizer);
  const report = await tfjsCheckpoint(tf).write(model, modelPart, {
    strict: options.strict ?? true,
  });
  if (plan !== undefined && optimizer !== null && optimizer !== undefined) {
    const toTensor = (tensor: CheckpointTensor) => {
      const dtype = tfjsDtype(tensor.dtype)!;
      return tf.tensor(typedArrayCopy(dtype, tensor.data), [...tensor.shape], dtype);
    };
    const values = plan.weights.map(({ tfjsName, tensor }) => ({
      name: tfjsName,
      tensor: toTensor(tensor),
    }));
    await optimizer.setWeights(values);
    for (const { tensor } of values) tensor.dispose();
    const state = scalarStateVariables(optimizer);
    for (const [property, tensor] of plan.state) {
      const value = toTensor(tensor);
      state.get(property)?.assign(value);
      value.dispose();
    }
  }
  return { report, optimizer: optimizerNames, seedSnapshot };
}

interface OptimizerPlan {
  readonly weights: Array<{ tfjsName: string; tensor: CheckpointTensor }>;
  readonly state: Array<[string, CheckpointTensor]>;
}

function planOptimizerRestore(
  model: LayersModel,
  checkpoint: Checkpoint,
  optimizer: Optimizer | null | undefined,
): OptimizerPlan {
  const fail = (message: string, tensor?: string) =>
    new TfjsError({ code: 'TFJS_OPTIMIZER_STATE', message, tensor });
  if (optimizer === null || optimizer === undefined) {
    throw fail(
      'the checkpoint has optimizer state but the model has no optimizer; compile the model first',
    );
  }
  const savedClass = checkpoint.metadata.get(TRAINING_STATE_KEYS.optimizerClass);
  if (savedClass !== undefined && savedClass !== optimizer.getClassName()) {
    throw fail(
      `the checkpoint holds ${savedClass} state but the model's optimizer is ${optimizer.getClassName()}`,
    );
  }
  const orderText = checkpoint.metadata.get(TRAINING_STATE_KEYS.optimizerOrder);
  const order: string[] =
    orderText === undefined
      ? [...checkpoint.tensors.keys()].filter(
          (name) => name.startsWith(PREFIX) && !name.startsWith(STATE_PREFIX),
        )
      : parseOrder(orderText);
  // Structural name -> this model's tfjs variable name.
  const byStructural = new Map(
    [...checkpointWeightNames(model)].map(([tfjsName, structural]) => [structural, tfjsName]),
  );
  const structuralNames = [...byStructural.keys()].sort((a, b) => b.length - a.length);
  const weights = order.map((name) => {
    const tensor = checkpoint.tensors.get(name);
    if (tensor === undefined) throw fail('listed in the optimizer order but missing', name);
    if (tfjsDtype(tensor.dtype) === undefined)
      throw fail(`${tensor.dtype} cannot be held by a tfjs optimizer`, name);
    const bare = name.slice(PREFIX.length);
    const owner = structuralNames.find((candidate) => bare.startsWith(`${candidate}/`));
    const tfjsName =
      owner === undefined ? bare : `${byStructural.get(owner)!}${bare.slice(owner.length)}`;
    if (owner === undefined && bare !== 'iter')
      throw fail('belongs to no weight of this model', name);
    return { tfjsName, tensor };
  });
  const state: Array<[string, CheckpointTensor]> = [];
  const variables = scalarStateVariables(optimizer);
  for (const [name, tensor] of checkpoint.tensors) {
    if (!name.startsWith(STATE_PREFIX)) continue;
    const property = name.slice(STATE_PREFIX.length);
    const variable = variables.get(property);
    if (variable === undefined) throw fail(`the optimizer has no scalar state "${property}"`, name);
    if (checkpointDtype(variable.dtype) !== tensor.dtype || tensor.shape.length !== 0) {
      throw fail(`expected a ${checkpointDtype(variable.dtype)} scalar`, name);
    }
    state.push([property, tensor]);
  }
  return { weights, state };
}

function parseOrder(text: string): string[] {
  const order = parseMetadataJson(text, TRAINING_STATE_KEYS.optimizerOrder);
  if (!Array.isArray(order) || !order.every((name) => typeof name === 'string')) {
    throw new TfjsError({
      code: 'TFJS_OPTIMIZER_STATE',
      message: `metadata "${TRAINING_STATE_KEYS.optimizerOrder}" must be a JSON array of tensor names`,
    });
  }
  return order;
}

function structuralOptimizerName(name: string, names: ReadonlyMap<string, string>): string {
  let best: string | undefined;
  for (const variableName of names.keys()) {
    if (
      name.startsWith(`${variableName}/`) &&
      (best === undefined || variableName.length > best.length)
    ) {
      best = variableName;
    }
  }
  return best === undefined ? name : `${names.get(best)!}${name.slice(best.length)}`;
}

/** Own scalar `tf.Variable` fields of an optimizer (Adam: accBeta1, accBeta2; Adamax: iteration, accBeta1). */
function scalarStateVariables(optimizer: Optimizer): Map<string, Variable> {
  const found = new Map<string, Variable>();
  for (const [property, value] of Object.entries(optimizer)) {
    const candidate = value as Partial<Variable> | null;
    if (
      candidate !== null &&
      typeof candidate === 'object' &&
      typeof candidate.assign === 'function' &&
      Array.isArray(candidate.shape) &&
      candidate.shape.length === 0
    ) {
      found.set(property, value as Variable);
    }
  }
  return found;
}

async function tensorToCheckpoint(tensor: Tensor, name: string): Promise<CheckpointTensor> {
  return {
    dtype: checkpointDtype(tensor.dtype, name),
    shape: [...tensor.shape],
    data: bytesCopy((await tensor.data()) as ArrayBufferView),
  };
}
