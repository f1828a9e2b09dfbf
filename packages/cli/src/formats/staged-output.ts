import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write a multi-file output (an `.onnx` and its external data) into a fresh staging folder
 * beside the final one, then move the files into place: data files first, the file that
 * points at them last. Encoding, fsync and any error happen in the staging folder, so a
 * conversion that fails leaves an existing output untouched; only a kill during the final
 * renames could pair new data files with the old pointing file. Data files the replaced
 * output referenced (`references`) and the new one does not are removed afterwards.
 *
 * @example
 * await writeStaged('out/model.onnx', (staged) => saveOnnxModel(model, staged), noReferences);
 */
export async function writeStaged(
  finalPath: string,
  write: (stagedPath: string) => Promise<void>,
  references: (mainPath: string) => Promise<string[]>,
): Promise<void> {
  const folder = dirname(finalPath);
  const main = basename(finalPath);
  // In the same folder, so the renames below stay on one file system and stay atomic.
  const staging = await mkdtemp(join(folder, `.${main}.reprokit-staging-`));
  // Ctrl-C or a polite kill while staging: remove the staging folder, then let the signal do
  // what it would have done (the handler is removed first, so re-raising it ends the process).
  const onSignal = (signal: NodeJS.Signals): void => {
    stopListening();
    rmSync(staging, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  const stopListening = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await write(join(staging, main));
    const previous = await references(finalPath).catch(() => [] as string[]);
    const written = await readdir(staging);
    for (const name of written) {
      if (name !== main) await rename(join(staging, name), join(folder, name));
    }
    await rename(join(staging, main), finalPath);
    for (const name of previous) {
      if (!written.includes(name) && name === basename(name) && name !== main) {
        await rm(join(folder, name), { force: true });
      }
    }
  } finally {
    stopListening();
    await rm(staging, { recursive: true, force: true });
  }
}

/** An ONNX output's external data keeps its name, so nothing it referenced goes stale. */
export async function noReferences(): Promise<string[]> {
  return [];
}
