export { type CastNote, castForTfjs, describeCastNote } from './cast-for-tfjs.js';
