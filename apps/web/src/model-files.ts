// The shared files of examples/choose-a-backend: Vite serves them as they are.
import topologyUrl from '../../../examples/choose-a-backend/model/model.json?url';
import graphUrl from '../../../examples/choose-a-backend/model/model.onnx?url';
import weightsUrl from '../../../examples/choose-a-backend/model/model.safetensors?url';

export const MODEL_URLS = { topology: topologyUrl, graph: graphUrl, weights: weightsUrl } as const;

/** Fetch a served file's bytes; a failed request names the URL and status. */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
