// Loads the core once per thread. Only the SIMD build is imported statically: every engine
// lightsnap supports validates it. The scalar build (an engine without SIMD) and the wasm2js
// translation (WebAssembly forbidden, e.g. a CSP without 'wasm-unsafe-eval') come from
// ./fallback.ts through `await import()`, so only `init()` can load them; a synchronous first
// use that needs one throws CoreUnavailable. Nothing runs at import time.
import type { CoreExports } from './abi.js';
import type { Backend, BackendKind } from './backend.js';
import { decodeBase64 } from './base64.js';
import { createJsBackend, fallbackFetched, fetchFallback, scalarWasmBytes } from './fallback.js';
import type { CoreHandle } from './handoff.js';
import { createWasmBackend } from './wasm-backend.js';
import { SIMD_WASM_BASE64 } from './wasm-simd.generated.js';
import { CoreUnavailable } from '../errors.js';

export interface InitOptions {
  /** A compiled core (e.g. from `WebAssembly.compileStreaming`), used instead of the embedded bytes. */
  module?: WebAssembly.Module;
  /** The bytes of a core build, used instead of the embedded bytes. */
  bytes?: BufferSource;
  /** Which core to use. `auto` (default): SIMD WASM, else scalar WASM, else JavaScript (wasm2js). */
  backend?: 'auto' | BackendKind;
}

/** A backend and, for a WASM core, its compiled module (what workers are handed). */
interface Loaded {
  backend: Backend;
  module?: WebAssembly.Module;
}

let active: Loaded | undefined;
let simdBytes: Uint8Array | undefined;

/** The SIMD build's bytes, decoded on first use and kept. */
function simdWasmBytes(): Uint8Array {
  return (simdBytes ??= decodeBase64(SIMD_WASM_BASE64));
}

function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly !== null;
}

/** The cores to try, best first. With `auto`, the JavaScript core follows a WASM core that fails to compile. */
function candidates(opts: InitOptions): BackendKind[] {
  const want = opts.backend ?? 'auto';
  if (want !== 'auto') return [want];
  if (!hasWebAssembly()) return ['js'];
  return WebAssembly.validate(simdWasmBytes() as BufferSource) ? ['wasm-simd', 'js'] : ['wasm-scalar', 'js'];
}

function wasmBytes(kind: 'wasm-simd' | 'wasm-scalar'): Uint8Array {
  return kind === 'wasm-simd' ? simdWasmBytes() : scalarWasmBytes();
}

function fromModule(module: WebAssembly.Module, instance: WebAssembly.Instance, kind: BackendKind): Loaded {
  return { backend: createWasmBackend(instance.exports as unknown as CoreExports, kind), module };
}

/** The kind a caller-supplied module or bytes are taken to be. */
function suppliedKind(opts: InitOptions): BackendKind {
  return opts.backend === 'wasm-scalar' ? 'wasm-scalar' : 'wasm-simd';
}

function unavailable(opts: InitOptions, errors: unknown[], unfetched: BackendKind[] = []): CoreUnavailable {
  const reasons = errors.map((e) => (e instanceof Error ? e.message : String(e)));
  if ((opts.backend ?? 'auto') === 'auto' && unfetched.includes('wasm-scalar')) reasons.push('this engine has no WebAssembly SIMD');
  if (unfetched.length > 0) {
    reasons.push(`the ${unfetched.join(' and the ')} core${unfetched.length > 1 ? 's load' : ' loads'} only from init(): call \`await init()\` before the first synchronous use`);
  }
  const which = opts.backend && opts.backend !== 'auto' ? `the ${opts.backend} core` : 'no core';
  return new CoreUnavailable(`${which} could ${which === 'no core' ? '' : 'not '}be loaded: ${reasons.join('; ')}`, { cause: errors[0] });
}

function loadSync(opts: InitOptions): Loaded {
  if (opts.module || opts.bytes) {
    const module = opts.module ?? new WebAssembly.Module(opts.bytes!);
    return fromModule(module, new WebAssembly.Instance(module, {}), suppliedKind(opts));
  }
  const errors: unknown[] = [];
  const unfetched: BackendKind[] = [];
  for (const kind of candidates(opts)) {
    if (kind !== 'wasm-simd' && !fallbackFetched(kind)) {
      unfetched.push(kind);
      continue;
    }
    try {
      if (kind === 'js') return { backend: createJsBackend() };
      const module = new WebAssembly.Module(wasmBytes(kind) as BufferSource);
      return fromModule(module, new WebAssembly.Instance(module, {}), kind);
    } catch (err) {
      errors.push(err);
    }
  }
  throw unavailable(opts, errors, unfetched);
}

async function load(opts: InitOptions): Promise<Loaded> {
  if (opts.module || opts.bytes) {
    const module = opts.module ?? (await WebAssembly.compile(opts.bytes!));
    return fromModule(module, await WebAssembly.instantiate(module, {}), suppliedKind(opts));
  }
  const errors: unknown[] = [];
  for (const kind of candidates(opts)) {
    try {
      if (kind !== 'wasm-simd') await fetchFallback(kind);
      if (kind === 'js') return { backend: createJsBackend() };
      const module = await WebAssembly.compile(wasmBytes(kind) as BufferSource);
      return fromModule(module, await WebAssembly.instantiate(module, {}), kind);
    } catch (err) {
      errors.push(err);
    }
  }
  throw unavailable(opts, errors);
}

/**
 * Creates a core without making it the active one (tests, benchmarks). Throws CoreUnavailable
 * when it needs a fallback that no `init()` or `createBackend()` has fetched yet.
 */
export function createBackendSync(opts: InitOptions = {}): Backend {
  return loadSync(opts).backend;
}

/** Creates a core without making it the active one, fetching a fallback's code if needed. */
export async function createBackend(opts: InitOptions = {}): Promise<Backend> {
  return (await load(opts)).backend;
}

/**
 * Loads the core synchronously (Node, workers). Throws CoreUnavailable where the SIMD build
 * cannot run and `init()` has not fetched the fallback. On a browser's main thread prefer
 * `init()`: engines refuse synchronous compilation of large modules there.
 */
export function initSync(opts: InitOptions = {}): BackendKind {
  active = loadSync(opts);
  return active.backend.kind;
}

/** Loads the core asynchronously, fetching the fallback if needed; resolves to the kind of core now in use. */
export async function init(opts: InitOptions = {}): Promise<BackendKind> {
  active = await load(opts);
  return active.backend.kind;
}

/** The active core, loaded synchronously on first use if `init()` was not awaited (CoreUnavailable if that cannot be done). */
export function backend(): Backend {
  return (active ??= loadSync({})).backend;
}

/** The active core as a worker takes it over (./handoff.ts), loading it first if needed. */
export async function coreHandle(): Promise<CoreHandle> {
  active ??= await load({});
  return { kind: active.backend.kind, module: active.module };
}
