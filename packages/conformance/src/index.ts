export * from './describe-checkpoint-adapter.js';
export * from './describe-seed-control.js';
