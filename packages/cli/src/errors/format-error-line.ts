import { ReprokitError } from '@reprokit/core';

/**
 * Turn any thrown value into the one line the CLI prints on stderr:
 * `reprokit: <file>: <what>`. The file comes from the error when it names one, else from
 * `fallbackFile` (the argument being processed). Multi-line messages (a mismatch report)
 * are joined with `; ` so that the error stays on one line; `verbose` appends the stack.
 *
 * @example
 * formatErrorLine(new Error('boom'), { fallbackFile: 'a.onnx' }); // 'reprokit: a.onnx: boom\n'
 */
export function formatErrorLine(
  error: unknown,
  options: { fallbackFile?: string | undefined; verbose?: boolean } = {},
): string {
  const { file, what } = describe(error, options.fallbackFile);
  const line = `reprokit: ${file === undefined ? '' : `${file}: `}${oneLine(what)}\n`;
  if (options.verbose === true && error instanceof Error && error.stack !== undefined) {
    return `${line}${error.stack}\n`;
  }
  return line;
}

function describe(
  error: unknown,
  fallbackFile: string | undefined,
): { file: string | undefined; what: string } {
  if (ReprokitError.isInstance(error)) {
    return { file: error.file ?? fallbackFile, what: stripDecoration(error) };
  }
  if (isSystemError(error)) {
    const file = error.path ?? fallbackFile;
    return { file, what: systemErrorText(error) };
  }
  if (error instanceof Error) return { file: fallbackFile, what: error.message };
  return { file: fallbackFile, what: String(error) };
}

/**
 * ReprokitError messages read `[reprokit] [origin] what (file, tensor "t", byte n)`.
 * The file already leads the CLI line, so only the tensor and byte offset are kept.
 */
function stripDecoration(error: ReprokitError): string {
  let message = error.message.replace(/^\[reprokit\] \[[^\]]*\] /, '');
  const where: string[] = [];
  if (error.file !== undefined) where.push(error.file);
  if (error.tensor !== undefined) where.push(`tensor "${error.tensor}"`);
  if (error.byteOffset !== undefined) where.push(`byte ${error.byteOffset}`);
  const suffix = ` (${where.join(', ')})`;
  if (where.length > 0 && message.endsWith(suffix)) {
    message = message.slice(0, -suffix.length);
    const kept = where.filter((part) => part !== error.file);
    if (kept.length > 0) message += ` (${kept.join(', ')})`;
  }
  return message;
}

interface SystemError extends Error {
  code: string;
  path?: string;
}

function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

const SYSTEM_ERROR_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a parent of this path is not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

function systemErrorText(error: SystemError): string {
  return SYSTEM_ERROR_TEXT[error.code] ?? error.message;
}

function oneLine(text: string): string {
  const parts = text
    .split(/\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  // A line ending in ':' introduces the list that follows it.
  return parts.reduce(
    (line, part) => (line === '' ? part : `${line}${line.endsWith(':') ? ' ' : '; '}${part}`),
    '',
  );
}
