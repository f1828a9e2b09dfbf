/**
 * The optimiser settings of every training run, in Node (`train-model.ts`) and in the web
 * demo's page (`apps/web`), which imports them so that both train the same way.
 */
export const BATCH_SIZE = 64;

/** Adam's learning rate per model. The CNN trains briefly (cpu convolutions are slow in tfjs), so it takes bigger steps. */
export const LEARNING_RATE = { mlp: 1e-3, cnn: 1e-2 } as const;
