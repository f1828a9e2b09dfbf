import { fileURLToPath } from 'node:url';
import { describeCheckpointStore } from '@reprokit/conformance';

const fixtures = new URL('./store-fixtures.ts', import.meta.url);
// The malformed ONNX inputs of the reliability suite, each with the error code it must give.
const corpus = {
  folder: fileURLToPath(new URL('../../reliability/corpus/onnx', import.meta.url)),
  extension: '.onnx',
};

describeCheckpointStore('onnx (embedded weights)', fixtures, 'embeddedOnnxFixture', { corpus });
describeCheckpointStore('onnx (external safetensors data)', fixtures, 'externalOnnxFixture', {
  corpus,
});
