import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

// A pid says nothing about a process on another machine sharing the folder (NFS, a volume
// mounted in two containers): only files of this host are ever judged by their pid.
const hostTag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/**
 * `<pid>.<host tag>`: who is writing, put into the names of files a save leaves around while
 * it runs, so that a later save can tell a killed writer's leftovers from a live writer's
 * work in progress (`isDeadWriter`). The host tag is 8 hex digits of a hash of the host name.
 *
 * @example
 * writerTag(); // '4242.1a2b3c4d'
 */
export function writerTag(pid: number = process.pid): string {
  return `${pid}.${hostTag}`;
}

/**
 * Whether the writer a `writerTag` names is certainly gone: it ran on this host and no
 * process with its pid exists (`kill(pid, 0)` fails with ESRCH). Writers on other hosts, and
 * malformed tags, are never called dead.
 *
 * @example
 * isDeadWriter(writerTag()); // false: this process is alive
 */
export function isDeadWriter(tag: string): boolean {
  const match = /^(\d+)\.([0-9a-f]{8})$/.exec(tag);
  if (match === null || match[2] !== hostTag) return false;
  const pid = Number(match[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a `writerTag` was made on this host. */
export function isThisHost(tag: string): boolean {
  return tag.endsWith(`.${hostTag}`);
}
