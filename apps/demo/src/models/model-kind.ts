/**
 * The two models of the demo: an MLP (784-128-BatchNorm-Dropout-64-10), trained on `wasm`,
 * and a small CNN (two convolutions, BatchNorm, Dropout), trained on `cpu` because tfjs'
 * wasm backend has no convolution gradients. The CNN is there so that the round trips
 * cover the HWIO/OIHW convolution layout and BatchNorm's epsilon, not only Dense kernels.
 */
export type ModelKind = 'mlp' | 'cnn';

export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'cnn'];
