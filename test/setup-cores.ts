// Core tests run on all three cores and build them synchronously (createBackendSync, often
// inside describe blocks). The scalar and wasm2js cores are fetched on demand
// (src/core/fallback.ts), so each test file fetches them first. test/core-load.test.ts checks
// the on-demand loading itself on fresh modules.
import { fetchFallback } from '../src/core/fallback.js';

await fetchFallback('wasm-scalar');
await fetchFallback('js');
