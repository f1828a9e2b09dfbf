export * from './artifacts/index.js';
export * from './checkpoint/index.js';
export * from './io/index.js';
export * from './seed/index.js';
