export { type AtomicWriteData, writeFileAtomic } from './write-file-atomic.js';
