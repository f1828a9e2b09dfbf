/**
 * Child process for session.test.ts: creates a session with ORT's verbose log on, so the
 * parent can read ORT's own "Session Options" trace. argv[2] is `deterministic` or `default`.
 */
import * as ort from 'onnxruntime-node';
import { createSession } from '../src/index.js';
import { denseModel } from './onnx-model-builder.js';

const deterministic = process.argv[2] === 'deterministic';
const session = await createSession(ort, denseModel(), {
  ...(deterministic ? { deterministic: true } : {}),
  sessionOptions: { logSeverityLevel: 0 },
});
await session.release();
