import { ReprokitError } from '@reprokit/core';

/** Stable codes of {@link OnnxExportError}. */
export type OnnxExportErrorCode =
  | 'ONNX_EXPORT_UNSUPPORTED_LAYER'
  | 'ONNX_EXPORT_UNSUPPORTED_OPTION'
  | 'ONNX_EXPORT_UNSUPPORTED_ACTIVATION'
  | 'ONNX_EXPORT_INVALID_OPTIONS'
  | 'ONNX_EXPORT_MISSING_WEIGHT'
  | 'ONNX_EXPORT_WEIGHTS_MISMATCH'
  | 'ONNX_EXPORT_UNKNOWN_SHAPE'
  | 'ONNX_EXPORT_INVALID_MODEL';

export interface OnnxExportErrorOptions {
  code: OnnxExportErrorCode;
  message: string;
  /** Structural path of the layer, e.g. `sequential/conv2d_1`. */
  layer?: string;
  /** tfjs class name of the layer, e.g. `Conv3D`. */
  className?: string;
  /** Weight (initializer) name when the problem is about one weight. */
  tensor?: string;
  cause?: unknown;
}

/**
 * The exporter refused a model rather than emit a graph that could compute something else.
 * `layer` and `className` say which layer; `code` says why (see {@link OnnxExportErrorCode}).
 *
 * @example
 * try { await exportToOnnx(model) } catch (e) {
 *   if (e instanceof OnnxExportError && e.code === 'ONNX_EXPORT_UNSUPPORTED_LAYER') console.log(e.className);
 * }
 */
export class OnnxExportError extends ReprokitError {
  static override readonly errorName: string = 'OnnxExportError';

  override readonly code: OnnxExportErrorCode;
  readonly layer: string | undefined;
  readonly className: string | undefined;

  constructor(options: OnnxExportErrorOptions) {
    const where =
      options.layer === undefined
        ? ''
        : ` in layer "${options.layer}"${options.className === undefined ? '' : ` (${options.className})`}`;
    super({
      code: options.code,
      origin: 'tfjs-onnx',
      message: `${options.message}${where}`,
      tensor: options.tensor,
      cause: options.cause,
    });
    this.code = options.code;
    this.layer = options.layer;
    this.className = options.className;
  }
}
