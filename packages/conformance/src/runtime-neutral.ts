// The suites that run in any JavaScript environment (no Node built-in), for tests that run in a
// browser too. The root entry adds the checkpoint-store suite, which needs Node (files, workers).
export * from './describe-byte-source.js';
export * from './describe-checkpoint-adapter.js';
export * from './describe-seed-control.js';
export * from './mutation/index.js';
