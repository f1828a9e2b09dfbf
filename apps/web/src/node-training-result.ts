// Written by scripts/write-node-fingerprint.ts (`pnpm --filter @reprokit/web node-fingerprint`)
// from the Node demo's own training process; test/node-fingerprint.node.test.ts retrains in
// Node and fails if a value is stale.

/** Fingerprint of the MLP that `pnpm demo --fast` trains in Node (seed 42, tfjs wasm). */
export const NODE_MLP_FINGERPRINT =
  '97a71740465b6f456f073540808e68157005d70e37a5bfd258f999d0a73d2161';

/** Fingerprint of the same MLP's weights before training (the same job with 0 epochs). */
export const NODE_MLP_INITIAL_FINGERPRINT =
  'f595cc73fccc40c25bda3dc5289946ef7339df857b77b4d40c101fbbc9ddaf15';
