/** Options every layout planner takes (see `ReadKerasOptions`). */
export interface LayoutOptions {
  /** `structural` (default): names a tfjs model built the same way uses; `h5`: the file's own paths. */
  readonly naming: 'structural' | 'h5';
  /** Include optimizer state (`optimizer/...`). */
  readonly optimizer: boolean;
  /** Largest tensor accepted, in bytes. */
  readonly maxTensorBytes: number;
}
