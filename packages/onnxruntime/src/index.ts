export * from './checkpoint/index.js';
export * from './dtype/index.js';
export * from './errors/index.js';
export * from './graph/index.js';
export * from './model/index.js';
export * from './seed/index.js';
export * from './session/index.js';
export * from './wire/index.js';
