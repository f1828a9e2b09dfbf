import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobSource, bytesSource } from '@reprokit/core';
import { fileSource } from '@reprokit/core/node';
import { describeByteSource } from './describe-byte-source.js';

describeByteSource('bytesSource', { open: async (bytes) => bytesSource(bytes) });

describeByteSource('blobSource over an in-memory Blob', {
  open: async (bytes) => blobSource(new Blob([bytes])),
});

let folder: string | undefined;
const onDisk = async (bytes: Uint8Array): Promise<string> => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-byte-source-'));
  const path = join(folder, 'data.bin');
  await writeFile(path, bytes);
  return path;
};
const removeFolder = async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
};

describeByteSource('fileSource', {
  open: async (bytes) => fileSource(await onDisk(bytes)),
  dispose: removeFolder,
});

describeByteSource("blobSource over Node's lazily read file Blob (fs.openAsBlob)", {
  open: async (bytes) => blobSource(await openAsBlob(await onDisk(bytes))),
  dispose: removeFolder,
});
