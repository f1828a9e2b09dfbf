import { receivesMask } from '../input-mask.js';
import { type LayerContext, type LayerConverter, singleInput } from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';
import type { TfLayer } from '../tfjs-structure.js';
import type { LayoutStep } from '../weight-layout.js';

type RecurrentKind = 'LSTM' | 'GRU' | 'SimpleRNN';

const ONNX_OP: Record<RecurrentKind, string> = { LSTM: 'LSTM', GRU: 'GRU', SimpleRNN: 'RNN' };
const GATES: Record<RecurrentKind, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };
const OUTPUTS: Record<RecurrentKind, number> = { LSTM: 3, GRU: 2, SimpleRNN: 2 };

/** ONNX activation names (with alpha/beta) for tfjs activation strings, as ORT implements them. */
const RECURRENT_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  relu: { name: 'Relu' },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
};

export type RecurrentDirection = 'forward' | 'reverse' | 'bidirectional';

export interface RecurrentOutputs {
  /** `[T, dirs, N, units]` */
  readonly sequence: string;
  /** `[dirs, N, units]` */
  readonly last: string;
  readonly units: number;
}

function innerConfig(owner: TfLayer): Record<string, unknown> {
  return owner.getConfig();
}

function gateLayout(kind: RecurrentKind, axis: number): LayoutStep[] {
  // tfjs LSTM gates are i,f,c,o; ONNX wants i,o,f,c. GRU (z,r,h) and RNN need no reorder.
  return kind === 'LSTM' ? [{ kind: 'reorder', axis, order: [0, 3, 1, 2] }] : [];
}

function directionWeights(context: LayerContext, kind: RecurrentKind, owner: TfLayer) {
  const units = context.weightShape('recurrent_kernel', owner)[0]!;
  const inputSize = context.weightShape('kernel', owner)[0]!;
  const size = GATES[kind] * units;
  const matrix = (name: string, columns: number) =>
    context.weight(
      name,
      [
        ...gateLayout(kind, 1),
        { kind: 'transpose', perm: [1, 0] },
        { kind: 'reshape', shape: [1, size, columns] },
      ],
      owner,
    );
  const w = matrix('kernel', inputSize);
  const r = matrix('recurrent_kernel', units);
  // ONNX B is [Wb, Rb]: the tfjs bias goes in Wb and Rb is zero.
  const b = context.hasWeight('bias', owner)
    ? context.weight(
        'bias',
        [
          ...gateLayout(kind, 0),
          { kind: 'padZeros', axis: 0, size: 2 * size },
          { kind: 'reshape', shape: [1, 2 * size] },
        ],
        owner,
      )
    : '';
  return { w, r, b, units };
}

function activationsFor(
  context: LayerContext,
  kind: RecurrentKind,
  config: Record<string, unknown>,
) {
  const activation = String(config.activation ?? 'tanh');
  const recurrent = String(config.recurrentActivation ?? 'hardSigmoid');
  const names =
    kind === 'LSTM'
      ? [recurrent, activation, activation]
      : kind === 'GRU'
        ? [recurrent, activation]
        : [activation];
  return names.map((name) => {
    const spec = RECURRENT_ACTIVATIONS[name];
    if (spec === undefined) {
      context.fail('ONNX_EXPORT_UNSUPPORTED_ACTIVATION', `recurrent activation "${name}"`);
    }
    return spec;
  });
}

/**
 * One ONNX LSTM/GRU/RNN node for the tfjs recurrent layer(s) `owners` (two for Bidirectional).
 * The input goes from tfjs' `[N, T, in]` to ONNX's `[T, N, in]`.
 */
export function emitRecurrent(
  context: LayerContext,
  kind: RecurrentKind,
  owners: readonly TfLayer[],
  direction: RecurrentDirection,
  input: string,
): RecurrentOutputs {
  const { graph, path } = context;
  const config = innerConfig(owners[0]!);
  if (config.stateful === true) context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'stateful');
  if (config.returnState === true) context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'returnState');
  if (kind === 'GRU' && config.resetAfter === true) {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'resetAfter');
  }
  const weights = owners.map((owner) => directionWeights(context, kind, owner));
  const join = (pick: (w: (typeof weights)[number]) => string) =>
    weights.length === 1
      ? pick(weights[0]!)
      : graph.node('Concat', weights.map(pick), { axis: attr.int(0) }, path);
  const specs = activationsFor(context, kind, config);
  const all = owners.flatMap(() => specs);
  const alphas = all.flatMap((s) => (s.alpha === undefined ? [] : [s.alpha]));
  const betas = all.flatMap((s) => (s.beta === undefined ? [] : [s.beta]));
  const units = weights[0]!.units;
  const attributes = {
    hidden_size: attr.int(units),
    direction: attr.string(direction),
    activations: attr.strings(all.map((s) => s.name)),
    ...(alphas.length > 0 ? { activation_alpha: attr.floats(alphas) } : {}),
    ...(betas.length > 0 ? { activation_beta: attr.floats(betas) } : {}),
    ...(kind === 'GRU' ? { linear_before_reset: attr.int(0) } : {}),
  };
  const timeMajor = graph.node('Transpose', [input], { perm: attr.ints([1, 0, 2]) }, path);
  const b = weights[0]!.b === '' ? '' : join((w) => w.b);
  const [sequence, last] = graph.nodeN(
    ONNX_OP[kind],
    [timeMajor, join((w) => w.w), join((w) => w.r), b],
    attributes,
    path,
    OUTPUTS[kind],
  );
  return { sequence: sequence!, last: last!, units };
}

/** `[T, N, u]` to tfjs' `[N, T, u]`. */
export function batchMajor(context: LayerContext, x: string): string {
  return context.graph.node('Transpose', [x], { perm: attr.ints([1, 0, 2]) }, context.path);
}

/** Refuse a recurrent layer fed a Keras mask: ONNX LSTM/GRU/RNN cannot skip masked steps. */
export function refuseMaskedInput(context: LayerContext): void {
  if (receivesMask(context.layer)) {
    context.fail(
      'ONNX_EXPORT_UNSUPPORTED_OPTION',
      'the input carries a mask (from Masking or Embedding maskZero): tfjs skips masked steps, ONNX recurrent ops cannot',
    );
  }
}

/**
 * One recurrent pass of `owner`'s weights over `input` (`[N, T, in]`), as tfjs returns it: the
 * last output `[N, units]`, or with `returnSequences` every output `[N, T, units]` in processing
 * order (`goBackwards` runs ONNX's reverse direction, whose outputs follow input time).
 */
function recurrentPass(
  context: LayerContext,
  kind: RecurrentKind,
  owner: TfLayer,
  input: string,
  backwards: boolean,
  returnSequences: boolean,
): string {
  const { graph, path } = context;
  const out = emitRecurrent(context, kind, [owner], backwards ? 'reverse' : 'forward', input);
  if (!returnSequences) {
    return graph.node('Squeeze', [out.last, graph.int64s([0])], {}, path);
  }
  let sequence = graph.node('Squeeze', [out.sequence, graph.int64s([1])], {}, path);
  if (backwards) {
    // ONNX aligns a reverse pass with input time; tfjs returns it in processing order.
    sequence = graph.node(
      'Slice',
      [
        sequence,
        graph.int64s([-1]),
        graph.int64s([Number.MIN_SAFE_INTEGER]),
        graph.int64s([0]),
        graph.int64s([-1]),
      ],
      {},
      path,
    );
  }
  return batchMajor(context, sequence);
}

/** LSTM, GRU, SimpleRNN (one direction; `goBackwards` runs ONNX's reverse direction). */
export function recurrentLayer(kind: RecurrentKind): LayerConverter {
  return (context) => {
    refuseMaskedInput(context);
    const { config } = context;
    return [
      recurrentPass(
        context,
        kind,
        context.layer,
        singleInput(context).name,
        config.goBackwards === true,
        config.returnSequences === true,
      ),
    ];
  };
}

const CELL_KINDS: Readonly<Record<string, RecurrentKind>> = {
  LSTMCell: 'LSTM',
  GRUCell: 'GRU',
  SimpleRNNCell: 'SimpleRNN',
};

/**
 * The generic RNN layer over an LSTMCell, GRUCell or SimpleRNNCell, or over StackedRNNCells of
 * them. One cell is the matching layer. Stacked cells run one after the other at each time step,
 * which is one recurrent pass per cell, each over the previous cell's outputs: tfjs reverses the
 * input once for `goBackwards`, so only the first pass runs backwards (its outputs come out in
 * processing order) and the others run forwards over them.
 */
export const rnnLayer: LayerConverter = (context) => {
  refuseMaskedInput(context);
  const { config } = context;
  if (config.stateful === true) context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'stateful');
  if (config.returnState === true) context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'returnState');
  const cell = (context.layer as TfLayer & { cell?: TfLayer & { cells?: readonly TfLayer[] } })
    .cell;
  if (cell === undefined) return context.fail('ONNX_EXPORT_INVALID_MODEL', 'RNN without a cell');
  const stacked = cell.getClassName() === 'StackedRNNCells';
  const cells = stacked ? (cell.cells ?? []) : [cell];
  const kinds = cells.map((c) => {
    const kind = Object.hasOwn(CELL_KINDS, c.getClassName())
      ? CELL_KINDS[c.getClassName()]
      : undefined;
    if (kind === undefined) {
      return context.fail('ONNX_EXPORT_UNSUPPORTED_LAYER', `RNN over a ${c.getClassName()}`);
    }
    return kind;
  });
  if (kinds.length === 0) return context.fail('ONNX_EXPORT_INVALID_MODEL', 'RNN without cells');
  const backwards = config.goBackwards === true;
  let x = singleInput(context).name;
  kinds.forEach((kind, i) => {
    const last = i === kinds.length - 1;
    // A single cell's config (activations) is the RNN layer's own; stacked cells keep their own.
    x = recurrentPass(
      context,
      kind,
      stacked ? cells[i]! : context.layer,
      x,
      backwards && i === 0,
      !last || config.returnSequences === true,
    );
  });
  return [x];
};
