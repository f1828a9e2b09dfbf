import fc from 'fast-check';

/**
 * One edit of a JSON text at the level of its tokens, so that the result is often still
 * JSON and reaches the validation behind the parser: replace a token with a hostile value,
 * delete it, or repeat it. `index` is taken modulo the number of tokens.
 */
export type JsonTokenMutation =
  | { readonly kind: 'replace-token'; readonly index: number; readonly replacement: string }
  | { readonly kind: 'delete-token'; readonly index: number }
  | { readonly kind: 'repeat-token'; readonly index: number };

/** Values that break shape, offset, dtype, path and name handling. */
export const HOSTILE_JSON_VALUES: readonly string[] = [
  '-1',
  '0',
  '1',
  '1.5',
  '-0',
  '1e400',
  '4294967296',
  '9007199254740993',
  '18446744073709551616',
  '100000000000000000000000000000',
  '""',
  '"F32"',
  '"F16"',
  '"BF16"',
  '"I64"',
  '"BOOL"',
  '"F4"',
  '"C64"',
  '"float32"',
  '"float16"',
  '"int32"',
  '"uint8"',
  '"uint16"',
  '"bool"',
  '"string"',
  '"complex64"',
  '"__metadata__"',
  '"__proto__"',
  '"constructor"',
  '"../escape.bin"',
  '"/etc/passwd"',
  '"C:\\\\x.bin"',
  '"a\\u0000b"',
  '"\\ud800"',
  '"optimizer"',
  '[]',
  '[0]',
  '[1,2]',
  '[0,4294967296]',
  '[4294967296,4294967296]',
  '[65536,65536,65536]',
  '[-1,2]',
  '{}',
  '{"a":1}',
  'null',
  'true',
  `${'['.repeat(300)}${']'.repeat(300)}`,
];

const tokenPattern =
  /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\],:]/g;

/**
 * Arbitrary JSON token mutations.
 *
 * @example
 * applyJsonTokenMutation('{"a":[1,2]}', { kind: 'replace-token', index: 5, replacement: '-1' }); // '{"a":[-1,2]}'
 */
export function jsonTokenMutation(): fc.Arbitrary<JsonTokenMutation> {
  return fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('replace-token' as const),
        index: fc.nat(),
        replacement: fc.constantFrom(...HOSTILE_JSON_VALUES),
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('delete-token' as const), index: fc.nat() }),
      weight: 1,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('repeat-token' as const), index: fc.nat() }),
      weight: 1,
    },
  );
}

/** Apply one token mutation to a JSON text; text without tokens comes back unchanged. */
export function applyJsonTokenMutation(text: string, mutation: JsonTokenMutation): string {
  const tokens = [...text.matchAll(tokenPattern)];
  if (tokens.length === 0) return text;
  const token = tokens[mutation.index % tokens.length]!;
  const start = token.index;
  const end = start + token[0].length;
  switch (mutation.kind) {
    case 'replace-token':
      return text.slice(0, start) + mutation.replacement + text.slice(end);
    case 'delete-token':
      return text.slice(0, start) + text.slice(end);
    case 'repeat-token':
      return text.slice(0, end) + token[0] + text.slice(end);
  }
}
