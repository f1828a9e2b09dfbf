export * from './describe-byte-source.js';
export * from './describe-checkpoint-adapter.js';
export * from './describe-seed-control.js';
export * from './mutation/index.js';
export * from './store/index.js';
