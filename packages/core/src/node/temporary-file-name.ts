import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { isThisHost, writerTag } from './writer-tag.js';

/** Suffix of every temporary file `writeFileAtomic` writes before its rename. */
export const TEMPORARY_SUFFIX = '.reprokit-tmp';

const temporaryPattern = /^\.(.+)\.((\d+)\.[0-9a-f]{8})\.[0-9a-f]{8}\.reprokit-tmp$/;

/** What a temporary file's name says about who wrote it, for what. */
export interface TemporaryFileOwner {
  /** File name (no folder) the writer meant to rename the temporary file to. */
  readonly target: string;
  readonly pid: number;
  /** The writer's `writerTag` (pid and host). */
  readonly writer: string;
  /** Whether the writer ran on this host (only then does `pid` mean anything here). */
  readonly thisHost: boolean;
}

/**
 * The temporary file name `writeFileAtomic` uses for `path`, in the same folder:
 * `.<name>.<pid>.<host tag>.<random>.reprokit-tmp` (see `writerTag`). The pid and host tag
 * let a later save tell a file left by a killed writer from one a live writer is filling.
 *
 * @example
 * temporaryFileName('out/model.safetensors'); // 'out/.model.safetensors.4242.1a2b3c4d.9f8e7d6c.reprokit-tmp'
 */
export function temporaryFileName(path: string, pid: number = process.pid): string {
  return join(
    dirname(path),
    `.${basename(path)}.${writerTag(pid)}.${randomBytes(4).toString('hex')}${TEMPORARY_SUFFIX}`,
  );
}

/**
 * Read the owner out of a temporary file name made by `temporaryFileName`; `undefined` for
 * any other name.
 *
 * @example
 * parseTemporaryFileName('.model.safetensors.4242.1a2b3c4d.9f8e7d6c.reprokit-tmp')?.pid; // 4242
 */
export function parseTemporaryFileName(name: string): TemporaryFileOwner | undefined {
  const match = temporaryPattern.exec(name);
  if (match === null) return undefined;
  const pid = Number(match[3]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { target: match[1]!, pid, writer: match[2]!, thisHost: isThisHost(match[2]!) };
}
