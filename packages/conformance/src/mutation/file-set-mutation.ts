import fc from 'fast-check';
import { applyByteMutation, type ByteMutation, byteMutation, concat } from './byte-mutation.js';
import {
  applyJsonTokenMutation,
  type JsonTokenMutation,
  jsonTokenMutation,
} from './json-token-mutation.js';

/** A model folder in memory: file name to bytes. */
export type FileSet = ReadonlyMap<string, Uint8Array>;

/**
 * One edit of a multi-file model (a tfjs folder, a sharded checkpoint, an ONNX model and its
 * external data). `file` is taken modulo the number of files; `json` edits go to the JSON
 * files only, `header` edits to the JSON header of safetensors files (with the length prefix
 * rewritten when `fixLength`, so the edit reaches the checks behind the length check).
 */
export type FileSetMutation =
  | { readonly kind: 'bytes'; readonly file: number; readonly mutation: ByteMutation }
  | { readonly kind: 'json'; readonly file: number; readonly mutation: JsonTokenMutation }
  | {
      readonly kind: 'header';
      readonly file: number;
      readonly mutation: JsonTokenMutation;
      readonly fixLength: boolean;
    }
  | { readonly kind: 'remove'; readonly file: number };

/**
 * One to three file-set mutations.
 *
 * @example
 * fc.sample(fileSetMutations(), 1)[0]; // [{ kind: 'json', file: 0, mutation: { ... } }]
 */
export function fileSetMutations(): fc.Arbitrary<FileSetMutation[]> {
  const file = fc.nat();
  const one: fc.Arbitrary<FileSetMutation> = fc.oneof(
    {
      arbitrary: fc.record({ kind: fc.constant('bytes' as const), file, mutation: byteMutation() }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        file,
        mutation: jsonTokenMutation(),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('header' as const),
        file,
        mutation: jsonTokenMutation(),
        fixLength: fc.boolean(),
      }),
      weight: 4,
    },
    { arbitrary: fc.record({ kind: fc.constant('remove' as const), file }), weight: 1 },
  );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

/**
 * Apply mutations to a file set and return the new set (the input is not changed).
 *
 * @example
 * applyFileSetMutations(files, [{ kind: 'remove', file: 1 }]).size; // files.size - 1
 */
export function applyFileSetMutations(
  files: FileSet,
  mutations: readonly FileSetMutation[],
): Map<string, Uint8Array> {
  const out = new Map(files);
  for (const mutation of mutations) {
    const names = [...out.keys()];
    const pick = (candidates: string[]) =>
      candidates.length === 0 ? undefined : candidates[mutation.file % candidates.length];
    switch (mutation.kind) {
      case 'bytes': {
        const name = pick(names);
        if (name !== undefined) out.set(name, applyByteMutation(out.get(name)!, mutation.mutation));
        break;
      }
      case 'json': {
        const name = pick(names.filter((candidate) => candidate.endsWith('.json')));
        if (name === undefined) break;
        const text = new TextDecoder().decode(out.get(name));
        out.set(name, new TextEncoder().encode(applyJsonTokenMutation(text, mutation.mutation)));
        break;
      }
      case 'header': {
        const name = pick(names.filter((candidate) => candidate.endsWith('.safetensors')));
        if (name === undefined) break;
        out.set(
          name,
          applySafetensorsHeaderMutation(out.get(name)!, mutation.mutation, mutation.fixLength),
        );
        break;
      }
      case 'remove': {
        const name = pick(names);
        if (name !== undefined) out.delete(name);
        break;
      }
    }
  }
  return out;
}

/**
 * Edit the JSON header of safetensors bytes token by token. With `fixLength`, the 8-byte
 * length prefix is rewritten to the edited header's length, so the edit is not simply caught
 * as a wrong length. Bytes too short to have a header come back unchanged.
 *
 * @example
 * applySafetensorsHeaderMutation(bytes, { kind: 'replace-token', index: 9, replacement: '-1' }, true);
 */
export function applySafetensorsHeaderMutation(
  bytes: Uint8Array,
  mutation: JsonTokenMutation,
  fixLength: boolean,
): Uint8Array {
  if (bytes.length < 8) return bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  if (8 + length > bytes.length) return bytes.slice();
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  const header = new TextEncoder().encode(applyJsonTokenMutation(text, mutation));
  const prefix = bytes.slice(0, 8);
  if (fixLength) new DataView(prefix.buffer).setBigUint64(0, BigInt(header.length), true);
  return concat(prefix, header, bytes.subarray(8 + length));
}
