import type * as tfModule from '@tensorflow/tfjs';

/** Samples in {@link orderSensitiveModel}'s data. */
export const ORDER_SENSITIVE_SAMPLES = 24;

/**
 * A small Dense-tanh-Dense regression and its fixed data (no random draws), compiled with plain
 * SGD: trained one sample per step, its weights depend on the order `fit` visits the samples,
 * which is what the fit-shuffle tests compare. Runtime-neutral; dispose `xs`, `ys` and `model`.
 */
export function orderSensitiveModel(tf: typeof tfModule): {
  xs: tfModule.Tensor2D;
  ys: tfModule.Tensor2D;
  model: tfModule.Sequential;
} {
  const samples = ORDER_SENSITIVE_SAMPLES;
  const xs = tf.tensor2d(
    Array.from({ length: samples * 3 }, (_, i) => ((i * 37) % 11) / 11),
    [samples, 3],
  );
  const ys = tf.tensor2d(
    Array.from({ length: samples }, (_, i) => (i % 5) - 2),
    [samples, 1],
  );
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  return { xs, ys, model };
}

/** What the fit-shuffle tests compare: every weight's values, and the kinds the audit found. */
export function weightsAndFindings(
  model: tfModule.LayersModel,
  control: { findings(): readonly { kind: string }[] },
): { weights: number[][]; findings: string[] } {
  return {
    weights: model.getWeights().map((weight) => Array.from(weight.dataSync())),
    findings: control.findings().map((finding) => finding.kind),
  };
}
