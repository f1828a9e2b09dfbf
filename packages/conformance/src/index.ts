export * from './runtime-neutral.js';
export * from './store/index.js';
