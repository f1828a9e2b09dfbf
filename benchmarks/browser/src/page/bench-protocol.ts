/** What the harness and the page exchange (types only, shared by both sides). */

export type CaseName =
  | 'tfjs-load-layers-model'
  | 'reprokit-direct'
  | 'reprokit-io-handler'
  | 'ort-embedded'
  | 'ort-external-data'
  | 'reprokit-create-session';

export interface PageSetup {
  tfjsBackend: 'wasm' | 'cpu';
  /** Start onnxruntime-web's WebAssembly before the measured run (only the ORT cases need it). */
  startOnnxruntime?: boolean;
}

/** The cases that create an onnxruntime-web session. */
export const ONNXRUNTIME_CASES: readonly CaseName[] = [
  'ort-embedded',
  'ort-external-data',
  'reprokit-create-session',
];

export interface CaseResult {
  /** Wall time of the load in the page (`performance.now()`), fetches included. */
  ms: number;
  /** Size of tfjs' wasm backend memory before the load (0 on `cpu`). */
  tfjsWasmMemoryBeforeBytes: number;
  /** Size of tfjs' wasm backend memory after the load, its peak (0 on `cpu`). */
  tfjsWasmMemoryBytes: number;
  /** Only when asked: what the loaded model gives back, to compare with the fixtures. */
  check?: {
    /** `fingerprint` of the tfjs model's weights (tfjs cases). */
    fingerprint?: string;
    /** The output for the fixtures' input row. */
    prediction: number[];
  };
}

/** The page's global, as `bench-page.ts` registers it. */
export interface BenchPage {
  setup(options: PageSetup): Promise<string>;
  run(name: CaseName, verifyInput?: number[]): Promise<CaseResult>;
}
