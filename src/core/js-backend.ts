// The pure-JavaScript core, for hosts that cannot compile WebAssembly (a strict CSP): the
// scalar WASM build translated by wasm2js, driven through the same ABI as the WASM cores.
import type { CoreExports } from './abi.js';
import type { Backend } from './backend.js';
import { createCore } from './core-js.generated.js';
import { createWasmBackend } from './wasm-backend.js';

export function createJsBackend(): Backend {
  return createWasmBackend(createCore() as unknown as CoreExports, 'js');
}
