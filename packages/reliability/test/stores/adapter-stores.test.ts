import { fileURLToPath } from 'node:url';
import { describeCheckpointStore } from '@reprokit/conformance';

const fixtures = new URL('./store-fixtures.ts', import.meta.url);
const corpus = (format: string) =>
  fileURLToPath(new URL(`../../corpus/${format}`, import.meta.url));

// The ONNX store runs the suite in its own package (packages/onnxruntime/test).
describeCheckpointStore('tfjs-artifacts', fixtures, 'tfjsArtifactsFixture', {
  corpus: { folder: corpus('tfjs'), extension: '.json' },
});
// h5wasm opens a file from its in-memory file system, so inspect copies the whole file in (it
// decodes no dataset, but the bytes are read): measured, not hidden.
const keras = {
  skip: {
    'inspect-reads-headers-only':
      'h5wasm needs the whole HDF5 file in its memory file system; inspect decodes no dataset but reads every byte',
  },
} as const;
describeCheckpointStore('keras (Keras 3 .weights.h5)', fixtures, 'kerasFixture', keras);
describeCheckpointStore('keras (Keras 2 save_weights .h5)', fixtures, 'kerasLegacyFixture', keras);
