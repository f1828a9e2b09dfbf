import { type LayerPair, pairError } from './layer-pair.js';
import { stringAttribute } from './onnx-graph-info.js';

/**
 * Compares what decides where a convolution's kernel lands (kernel size, strides,
 * dilations, padding) between the ONNX node and the tfjs layer. These are not weights, but
 * loading weights into a layer that pads differently gives other numbers with no error:
 * PyTorch's symmetric `padding=1` with stride 2 is not Keras' `'same'` (which pads at the
 * end) on even input sizes. A difference throws `MAPPING_ATTRIBUTE_MISMATCH`. Padding is
 * compared for Conv only (ConvTranspose output padding rules differ; its kernel, strides
 * and dilations are compared).
 */
export function checkConvolutionGeometry(pair: LayerPair): void {
  const weight = pair.onnx.weights.get('weight')!;
  const spatial = weight.shape.length - 2;
  const node = pair.onnx.node;
  const config = pair.keras.config;
  const ints = (name: string, fallback: number[]): number[] => {
    const value = node.attributes.get(name);
    return Array.isArray(value) && value.every((item) => typeof item === 'number')
      ? (value as number[])
      : fallback;
  };
  const list = (value: unknown, fallback: number): number[] =>
    Array.isArray(value)
      ? (value as number[])
      : Array.from({ length: spatial }, () => (typeof value === 'number' ? value : fallback));
  const kernel = weight.shape.slice(2);
  const strides = ints('strides', new Array(spatial).fill(1));
  const dilations = ints('dilations', new Array(spatial).fill(1));
  const kerasKernel = list(config.kernelSize, 1);
  const kerasStrides = list(config.strides, 1);
  const kerasDilations = list(config.dilationRate, 1);
  const differs: string[] = [];
  const compare = (what: string, onnx: number[], keras: number[]) => {
    if (onnx.join(',') !== keras.join(',')) {
      differs.push(`${what}: ONNX [${onnx.join(',')}], tfjs [${keras.join(',')}]`);
    }
  };
  compare('kernel', kernel, kerasKernel);
  compare('strides', strides, kerasStrides);
  compare('dilations', dilations, kerasDilations);
  if (pair.onnx.kind === 'conv' && differs.length === 0) {
    const inputSizes = (pair.keras.inputShape ?? []).slice(1, 1 + spatial);
    const onnxPads = onnxPadding(stringAttribute(node, 'auto_pad', 'NOTSET'), ints('pads', []), {
      spatial,
      kernel,
      strides,
      dilations,
      inputSizes,
    });
    const ownPads = kerasPadding(String(config.padding ?? 'valid'), {
      spatial,
      kernel,
      strides,
      dilations,
      inputSizes,
    });
    const extra = pair.keras.zeroPadding;
    const kerasPads =
      ownPads === undefined || extra === undefined || extra.length !== ownPads.length
        ? ownPads
        : ownPads.map((pad, index) => pad + extra[index]!);
    if (
      onnxPads !== undefined &&
      kerasPads !== undefined &&
      onnxPads.join(',') !== kerasPads.join(',')
    ) {
      differs.push(
        `padding (begins, then ends): ONNX [${onnxPads.join(',')}], tfjs${extra === undefined ? '' : ' ZeroPadding2D plus'} padding '${String(config.padding)}' gives [${kerasPads.join(',')}]; build the tfjs layer with tf.layers.zeroPadding2d before it and padding 'valid' to pad like ONNX`,
      );
    }
  }
  if (differs.length > 0) {
    throw pairError(
      pair,
      'MAPPING_ATTRIBUTE_MISMATCH',
      `the layers would compute different things: ${differs.join('; ')}`,
    );
  }
}

interface Geometry {
  readonly spatial: number;
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly inputSizes: ReadonlyArray<number | null | undefined>;
}

/** `[begin..., end...]`, or undefined when it depends on an unknown input size. */
function samePadding(geometry: Geometry, extraAtEnd: boolean): number[] | undefined {
  const begins: number[] = [];
  const ends: number[] = [];
  for (let axis = 0; axis < geometry.spatial; axis++) {
    const stride = geometry.strides[axis]!;
    const span = (geometry.kernel[axis]! - 1) * geometry.dilations[axis]! + 1;
    const size = geometry.inputSizes[axis];
    let total: number;
    if (stride === 1) {
      total = span - 1;
    } else if (typeof size === 'number') {
      const out = Math.ceil(size / stride);
      total = Math.max((out - 1) * stride + span - size, 0);
    } else {
      return undefined;
    }
    const small = Math.floor(total / 2);
    begins.push(extraAtEnd ? small : total - small);
    ends.push(extraAtEnd ? total - small : small);
  }
  return [...begins, ...ends];
}

function onnxPadding(autoPad: string, pads: number[], geometry: Geometry): number[] | undefined {
  if (autoPad === 'SAME_UPPER') return samePadding(geometry, true);
  if (autoPad === 'SAME_LOWER') return samePadding(geometry, false);
  if (autoPad === 'VALID' || pads.length === 0) return new Array(2 * geometry.spatial).fill(0);
  return pads;
}

function kerasPadding(padding: string, geometry: Geometry): number[] | undefined {
  if (padding === 'same') return samePadding(geometry, true);
  if (padding === 'causal') {
    const begins = geometry.kernel.map((k, axis) => (k - 1) * geometry.dilations[axis]!);
    return [...begins, ...new Array(geometry.spatial).fill(0)];
  }
  return new Array(2 * geometry.spatial).fill(0);
}
