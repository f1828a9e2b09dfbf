// @reprokit/onnxruntime/node: everything that touches paths and files. The root entry works on
// bytes and in-memory models in any JavaScript environment; this one adds Node's file system.
// Functions here that share a name with one of the root entry do what it does and take paths too.
export { createSession } from './create-session.js';
export { loadOnnxModel } from './load-onnx-model.js';
export { readOnnxCheckpoint } from './read-onnx-checkpoint.js';
export { saveOnnxModel } from './save-onnx-model.js';
