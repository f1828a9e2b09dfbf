export type { SeedControl } from './seed-control.js';
