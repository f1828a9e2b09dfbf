// @reprokit/core/node: everything that touches paths and files. The root entry works on
// bytes, Blobs and ByteSources in any JavaScript environment; this one adds Node's file system.
export { fileSource } from './file-source.js';
