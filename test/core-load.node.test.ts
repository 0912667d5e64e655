// How the core is loaded (src/core/load.ts): only the SIMD build is at hand synchronously; the
// scalar build and the wasm2js core are fetched by init() where SIMD is refused or WebAssembly is
// forbidden, and a synchronous first use that would need them throws CoreUnavailable. Each case
// runs on fresh modules (nothing fetched yet) with the engine's WebAssembly narrowed as a browser
// without SIMD, or with a Content-Security-Policy, would have it. Workers take over the core of
// the thread that runs the pool (src/core/handoff.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { coreHandle, init } from '../src/core/load.js';
import { createWorkerPool, spawnNodeWorker } from '../src/worker/node.js';
import { CORE_KEY, READY_KEY } from '../src/worker/protocol.js';
import { rng } from './helpers.js';

const data = rng(7).bytes(100_000);
const want = createHash('sha256').update(data).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The loader and its users as a new page (or worker) would import them. */
async function fresh() {
  vi.resetModules();
  return {
    load: await import('../src/core/load.js'),
    fallback: await import('../src/core/fallback.js'),
    hash: await import('../src/hash/sha256.js'),
    errors: await import('../src/errors.js'),
  };
}

const realWasm = WebAssembly;

/** WebAssembly as a page whose CSP lacks 'wasm-unsafe-eval' has it: validation works, compiling is refused. */
function forbidCompiling(): void {
  const refuse = () => {
    throw new realWasm.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script");
  };
  vi.stubGlobal('WebAssembly', {
    validate: (b: BufferSource) => realWasm.validate(b),
    Module: function Module() { refuse(); },
    Instance: realWasm.Instance,
    compile: async () => refuse(),
    instantiate: async () => refuse(),
    CompileError: realWasm.CompileError,
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('loading the core', () => {
  it('uses the SIMD build on first synchronous use, decoding its base64 once and fetching no fallback', async () => {
    const { load, fallback, hash } = await fresh();
    const atob = vi.spyOn(globalThis, 'atob');
    expect(hex(hash.sha256(data))).toBe(want);
    expect(load.initSync()).toBe('wasm-simd');
    expect(load.createBackendSync().kind).toBe('wasm-simd');
    expect(await load.init()).toBe('wasm-simd');
    expect(atob).toHaveBeenCalledTimes(1);
    expect(fallback.fallbackFetched('wasm-scalar')).toBe(false);
    expect(fallback.fallbackFetched('js')).toBe(false);
  });

  it('without SIMD: synchronous first use throws CoreUnavailable saying to await init(), which fetches the scalar build', async () => {
    const { load, fallback, hash, errors } = await fresh();
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(() => hash.sha256(data)).toThrow(errors.CoreUnavailable);
    expect(() => load.initSync()).toThrow(/no WebAssembly SIMD.*await init\(\)/);
    expect(await load.init()).toBe('wasm-scalar');
    expect(hex(hash.sha256(data))).toBe(want);
    expect(load.initSync()).toBe('wasm-scalar'); // fetched now, so synchronous loading works
    expect(fallback.fallbackFetched('js')).toBe(false);
  });

  it('with WebAssembly forbidden (strict CSP): synchronous use throws CoreUnavailable; init() runs the wasm2js core without fetching the scalar build', async () => {
    const { load, fallback, hash, errors } = await fresh();
    forbidCompiling();
    let thrown: unknown;
    try {
      hash.sha256(data);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(errors.CoreUnavailable);
    expect((thrown as Error).message).toMatch(/wasm-unsafe-eval.*await init\(\)/);
    expect(await load.init()).toBe('js');
    expect(hex(hash.sha256(data))).toBe(want);
    expect(fallback.fallbackFetched('wasm-scalar')).toBe(false);
  });

  it('without WebAssembly at all, init() runs the wasm2js core', async () => {
    const { load, hash } = await fresh();
    vi.stubGlobal('WebAssembly', undefined);
    expect(await load.init()).toBe('js');
    expect(hex(hash.sha256(data))).toBe(want);
  });

  it('builds a named fallback synchronously only once it was fetched; a refused build is CoreUnavailable', async () => {
    const { load, errors } = await fresh();
    expect(() => load.createBackendSync({ backend: 'js' })).toThrow(errors.CoreUnavailable);
    expect(() => load.initSync({ backend: 'wasm-scalar' })).toThrow(errors.CoreUnavailable);
    expect(hex((await load.createBackend({ backend: 'js' })).sha256(data))).toBe(want);
    expect(load.createBackendSync({ backend: 'js' }).kind).toBe('js');
    forbidCompiling();
    await expect(load.init({ backend: 'wasm-simd' })).rejects.toThrow(errors.CoreUnavailable);
  });
});

describe('workers take over the core of the pool\'s thread', () => {
  afterEach(async () => {
    await init();
  });

  /** Starts a worker, hands it `handle`, and resolves to the kind it reports ready with. */
  async function readyKind(handle: unknown): Promise<string> {
    const w: Worker = spawnNodeWorker();
    try {
      return await new Promise<string>((resolve, reject) => {
        w.on('message', (m) => { if (m && READY_KEY in m) resolve(m[READY_KEY]); });
        w.on('error', reject);
        w.postMessage({ [CORE_KEY]: handle });
      });
    } finally {
      await w.terminate();
    }
  }

  it('a worker instantiates the module it is handed, or fetches the wasm2js core for `js`', async () => {
    expect(await init({ backend: 'wasm-scalar' })).toBe('wasm-scalar');
    const { module } = await coreHandle();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(await readyKind({ kind: 'wasm-scalar', module })).toBe('wasm-scalar');
    expect(await readyKind({ kind: 'js' })).toBe('js');
  });

  it('a pool hashes on workers running the js core when that is the core in use', async () => {
    expect(await init({ backend: 'js' })).toBe('js');
    const pool = createWorkerPool({ size: 1 });
    try {
      expect(hex(await pool.sha256(data))).toBe(want);
    } finally {
      await pool.close();
    }
  });
});
