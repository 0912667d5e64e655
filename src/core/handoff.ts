// A core handed from the thread that loaded it to a worker (src/worker): the compiled module,
// which the worker only instantiates, or, for the JavaScript core, nothing but its kind. This
// module imports no core bytes, so a worker bundle carries none: main thread and workers share
// the one copy the main bundle holds, compiled once.
import type { Backend, BackendKind } from './backend.js';
import { createJsBackend, fetchJs } from './fallback.js';
import { createWasmBackend } from './wasm-backend.js';
import type { CoreExports } from './abi.js';

export interface CoreHandle {
  kind: BackendKind;
  /** The compiled WASM core; absent for the `js` core. */
  module?: WebAssembly.Module;
}

/** A backend of the handle's core in this thread. */
export async function backendFromHandle(handle: CoreHandle): Promise<Backend> {
  if (handle.kind === 'js' || !handle.module) {
    await fetchJs();
    return createJsBackend();
  }
  const instance = await WebAssembly.instantiate(handle.module, {});
  return createWasmBackend(instance.exports as unknown as CoreExports, handle.kind);
}
