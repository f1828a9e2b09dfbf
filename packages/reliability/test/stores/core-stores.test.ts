import { fileURLToPath } from 'node:url';
import { describeCheckpointStore } from '@reprokit/conformance';

const fixtures = new URL('./store-fixtures.ts', import.meta.url);
const corpus = (format: string) =>
  fileURLToPath(new URL(`../../corpus/${format}`, import.meta.url));

describeCheckpointStore('safetensors', fixtures, 'safetensorsFixture', {
  corpus: { folder: corpus('safetensors'), extension: '.safetensors' },
});
describeCheckpointStore('safetensors-sharded', fixtures, 'shardedSafetensorsFixture', {
  corpus: { folder: corpus('safetensors-sharded'), extension: '.safetensors.index.json' },
});
