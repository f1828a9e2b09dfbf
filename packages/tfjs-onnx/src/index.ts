export * from './export/index.js';
export * from './mapping/index.js';
