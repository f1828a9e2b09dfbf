import { OnnxExportError, type OnnxExportErrorCode } from './onnx-export-error.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { Shape, TensorRef, TfLayer } from './tfjs-structure.js';
import type { LayoutStep } from './weight-layout.js';

/** Everything a layer converter may read or emit for one call of one layer. */
export interface LayerContext {
  readonly graph: OnnxGraphBuilder;
  readonly layer: TfLayer;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Structural path of the layer, used as the scope of its nodes. */
  readonly path: string;
  readonly inputs: readonly TensorRef[];
  readonly outputShapes: readonly Shape[];
  /**
   * Name of the ONNX value holding weight `shortName` of `owner` (default: this layer)
   * after the layout steps. Shared-file mode emits the steps as nodes; embedded mode
   * stores converted bytes.
   */
  weight(shortName: string, layout?: readonly LayoutStep[], owner?: TfLayer): string;
  hasWeight(shortName: string, owner?: TfLayer): boolean;
  weightShape(shortName: string, owner?: TfLayer): readonly number[];
  /** Convert a wrapped layer (TimeDistributed, Bidirectional) on the given inputs. */
  convertInner(
    layer: TfLayer,
    inputs: readonly TensorRef[],
    outputShapes: readonly Shape[],
  ): string[];
  fail(code: OnnxExportErrorCode, message: string): never;
}

/** Turns one call of one tfjs layer into ONNX nodes; returns the names of its outputs. */
export type LayerConverter = (context: LayerContext) => string[];

export function failFor(
  layer: TfLayer,
  path: string,
  code: OnnxExportErrorCode,
  message: string,
): never {
  throw new OnnxExportError({ code, message, layer: path, className: layer.getClassName() });
}

/** The only input of a single-input layer. */
export function singleInput(context: LayerContext): TensorRef {
  const input = context.inputs[0];
  if (context.inputs.length !== 1 || input === undefined) {
    context.fail('ONNX_EXPORT_INVALID_MODEL', `expected 1 input, got ${context.inputs.length}`);
  }
  return input;
}

/** A number from the config, or `fallback` when absent. */
export function configNumber(context: LayerContext, key: string, fallback: number): number {
  const value = context.config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number') {
    context.fail('ONNX_EXPORT_INVALID_MODEL', `config "${key}" is not a number: ${String(value)}`);
  }
  return value;
}

/** A number or list of numbers from the config, as a list of `length` numbers. */
export function configTuple(
  context: LayerContext,
  key: string,
  length: number,
  fallback?: number,
): number[] {
  const value = context.config[key];
  if ((value === undefined || value === null) && fallback !== undefined) {
    return new Array<number>(length).fill(fallback);
  }
  if (typeof value === 'number') return new Array<number>(length).fill(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    if (value.length === length) return value as number[];
    if (value.length === 1) return new Array<number>(length).fill(value[0] as number);
  }
  return context.fail('ONNX_EXPORT_INVALID_MODEL', `config "${key}" is not ${length} number(s)`);
}

/** A string from the config, or `fallback`. */
export function configString(context: LayerContext, key: string, fallback: string): string {
  const value = context.config[key];
  if (value === undefined || value === null) return fallback;
  return String(value);
}

/** Only channels-last data is laid out as tfjs computes it by default. */
export function channelsLast(context: LayerContext): boolean {
  const format = configString(context, 'dataFormat', 'channelsLast');
  if (format !== 'channelsLast' && format !== 'channelsFirst') {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', `dataFormat "${format}" is not supported`);
  }
  return format === 'channelsLast';
}
