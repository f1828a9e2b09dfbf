import { type LayerPair, pairError } from './layer-pair.js';
import { stringAttribute } from './onnx-graph-info.js';

/**
 * Compares what decides where a convolution's kernel lands (kernel size, strides,
 * dilations, padding) between the ONNX node and the tfjs layer. These are not weights, but
 * loading weights into a layer that pads differently gives other numbers with no error:
 * PyTorch's symmetric `padding=1` with stride 2 is not Keras' `'same'` (which pads at the
 * end) on even input sizes. A difference throws `MAPPING_ATTRIBUTE_MISMATCH`. For
 * ConvTranspose the crop of the full transposed output is compared: ONNX `pads` minus
 * `output_padding` at the end, against what tfjs `'valid'` / `'same'` plus a Cropping2D right
 * after the layer remove (PyTorch `k=3, stride=2, padding=1, output_padding=1` doubles the
 * size like `'same'` but crops the other end).
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
  if (pair.onnx.kind === 'convTranspose' && differs.length === 0) {
    const mismatch = transposeCropMismatch(pair, {
      spatial,
      kernel,
      strides,
      dilations,
      inputSizes: [],
    });
    if (mismatch !== undefined) differs.push(mismatch);
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

/**
 * How much of the full transposed-convolution output (`(in - 1) * stride + span`) is cut
 * off, `[begins..., ends...]`; a negative end is output added at the end. Undefined when it
 * cannot be known from the attributes (`auto_pad` SAME_*, whose pad placement runtimes read
 * differently, or an explicit `output_shape`).
 */
function onnxTransposeCrop(pair: LayerPair, spatial: number): number[] | undefined {
  const node = pair.onnx.node;
  const autoPad = stringAttribute(node, 'auto_pad', 'NOTSET');
  if (node.attributes.has('output_shape') || autoPad.startsWith('SAME')) return undefined;
  const ints = (name: string): number[] => {
    const value = node.attributes.get(name);
    return Array.isArray(value) ? (value as number[]) : [];
  };
  const pads = autoPad === 'VALID' ? [] : ints('pads');
  const outputPadding = ints('output_padding');
  const begins = Array.from({ length: spatial }, (_, axis) => pads[axis] ?? 0);
  const ends = Array.from(
    { length: spatial },
    (_, axis) => (pads[spatial + axis] ?? 0) - (outputPadding[axis] ?? 0),
  );
  return [...begins, ...ends];
}

/** The same for a tfjs Conv2DTranspose / Conv3DTranspose (its output is `in * stride` for 'same'). */
function kerasTransposeCrop(padding: string, geometry: Geometry): number[] {
  const begins: number[] = [];
  const ends: number[] = [];
  for (let axis = 0; axis < geometry.spatial; axis++) {
    const span = (geometry.kernel[axis]! - 1) * geometry.dilations[axis]! + 1;
    const stride = geometry.strides[axis]!;
    // 'valid' keeps the full output (padded up to in * stride when span < stride); 'same'
    // cuts it to in * stride, the smaller half at the beginning, as tfjs pads a forward conv.
    const total = padding === 'same' ? span - stride : Math.min(span - stride, 0);
    const begin = total > 0 ? Math.floor(total / 2) : 0;
    begins.push(begin);
    ends.push(total - begin);
  }
  return [...begins, ...ends];
}

function transposeCropMismatch(pair: LayerPair, geometry: Geometry): string | undefined {
  const onnxCrop = onnxTransposeCrop(pair, geometry.spatial);
  if (onnxCrop === undefined) return undefined;
  const padding = String(pair.keras.config.padding ?? 'valid');
  const own = kerasTransposeCrop(padding, geometry);
  const extra = pair.keras.cropping;
  const kerasCrop =
    extra === undefined || extra.length !== own.length
      ? own
      : own.map((crop, index) => crop + extra[index]!);
  if (onnxCrop.join(',') === kerasCrop.join(',')) return undefined;
  const valid = kerasTransposeCrop('valid', geometry);
  const needed = onnxCrop.map((crop, index) => crop - valid[index]!);
  const half = geometry.spatial;
  const advice =
    half === 2 && needed.every((crop) => crop >= 0)
      ? `build the tfjs layer with padding 'valid' and tf.layers.cropping2D({ cropping: [[${needed[0]},${needed[2]}],[${needed[1]},${needed[3]}]] }) right after it`
      : 'tfjs cannot crop like this';
  return `output crop (begins, then ends): ONNX pads and output_padding give [${onnxCrop.join(',')}], tfjs${extra === undefined ? '' : ' Cropping2D plus'} padding '${padding}' gives [${kerasCrop.join(',')}]; ${advice}`;
}
