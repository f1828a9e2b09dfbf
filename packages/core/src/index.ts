export * from './checkpoint/index.js';
export * from './errors/index.js';
export type { JsonValue } from './json-value.js';
export * from './mapping/index.js';
export * from './seed/index.js';
export * from './source/index.js';
export * from './store/index.js';
