/*
 * Child process of the scale tests: opens a large safetensors file lazily and reports what it
 * cost, as one JSON line on stdout. Run in its own process so its peak RSS is its own.
 *
 *   node --conditions=@reprokit/source --import tsx scale-probe.ts <file> <tensor>...
 *
 * Prints { tensors, headerLength, openMs, baselineRss, afterOpenRss, reads: [{ name, bytes,
 * peakRss, checksum }] }: peak RSS (bytes, `process.resourceUsage().maxRSS`) before opening,
 * after opening (header parsed), and after reading each named tensor in turn.
 */
import { openSafetensors } from '@reprokit/core/node';
import { sampleChecksum } from './sample-checksum.js';

const [file, ...names] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: scale-probe.ts <file> <tensor>...');
  process.exit(2);
}
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const baselineRss = peakRss();
const started = performance.now();
const opened = await openSafetensors(file);
const openMs = performance.now() - started;
const afterOpenRss = peakRss();
const reads: Array<{ name: string; bytes: number; peakRss: number; checksum: number }> = [];
for (const name of names) {
  const tensor = await opened.readTensor(name);
  // The checksum proves the bytes were really read, and lets the parent check them.
  reads.push({
    name,
    bytes: tensor.data.length,
    peakRss: peakRss(),
    checksum: sampleChecksum(tensor.data),
  });
}
await opened.close();
console.log(
  JSON.stringify({
    tensors: opened.header.tensors.size,
    headerLength: opened.header.headerLength,
    openMs: Math.round(openMs),
    baselineRss,
    afterOpenRss,
    reads,
  }),
);
