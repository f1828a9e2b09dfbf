export type { MappingResult, MappingStep, WeightMapping } from './weight-mapping.js';
