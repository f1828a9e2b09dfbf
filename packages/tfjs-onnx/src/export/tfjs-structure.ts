/**
 * The parts of tfjs layers objects the exporter reads. Declared here, structurally, so that
 * src never imports the tfjs runtime (a peer dependency) and so that only the members used
 * are relied on.
 */
export interface TfVariable {
  readonly originalName: string;
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  read(): { data(): Promise<ArrayLike<number>> };
}

export interface TfSymbolicTensor {
  readonly id: number;
  readonly shape: readonly (number | null)[];
  readonly dtype: string;
  readonly sourceLayer: TfLayer;
  readonly nodeIndex: number;
  readonly tensorIndex: number;
}

export interface TfNode {
  readonly inputTensors: readonly TfSymbolicTensor[];
  readonly outputTensors: readonly TfSymbolicTensor[];
}

export interface TfLayer {
  readonly name: string;
  readonly id: number;
  readonly weights: readonly TfVariable[];
  readonly inboundNodes: readonly TfNode[];
  /** Whether the layer passes a Keras mask on (tfjs then feeds it to mask-aware layers). */
  readonly supportsMasking?: boolean;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  computeOutputShape(inputShape: unknown): unknown;
}

export interface TfContainer extends TfLayer {
  readonly layers: readonly TfLayer[];
  readonly inputs: readonly TfSymbolicTensor[];
  readonly outputs: readonly TfSymbolicTensor[];
}

/** A nested model (Sequential or functional) used as a layer. */
export function isContainer(layer: TfLayer): layer is TfContainer {
  const candidate = layer as Partial<TfContainer>;
  return (
    Array.isArray(candidate.layers) &&
    Array.isArray(candidate.inputs) &&
    Array.isArray(candidate.outputs)
  );
}

/** Static shape with `null` for unknown dimensions (the batch dimension, usually). */
export type Shape = readonly (number | null)[];

/** A value in the ONNX graph with the tfjs shape it carries. */
export interface TensorRef {
  readonly name: string;
  readonly shape: Shape;
}
