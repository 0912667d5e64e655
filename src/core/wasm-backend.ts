// The Backend over one instance of the WASM core. Large inputs are streamed through scratch
// memory in windows, so no call needs more than a bounded amount of linear memory.
import { Scratch, type CoreExports } from './abi.js';
import type { Backend, BackendKind, Sha256State } from './backend.js';
import { createChunkCore } from './chunk.js';
import { createFastCdc } from './fastcdc-windows.js';
import { createJmtCore } from './jmt.js';
import { createIcs23Core } from './ics23.js';
import { createMerkleCore } from './merkle.js';
import { createEd25519Core } from './ed25519-core.js';

/** Bytes copied into WASM memory per crossing for bulk hashing. */
const WINDOW = 1 << 20;
/** Most messages per crossing of a variable-length batch (bounds the offsets and digests). */
const MAX_WINDOW_MESSAGES = 1 << 15;

export function createWasmBackend(core: CoreExports, kind: BackendKind): Backend {
  const scratch = new Scratch(core);

  function sha256(data: Uint8Array): Uint8Array {
    if (data.length <= WINDOW) {
      const base = scratch.ensure(data.length + 32);
      scratch.view(base, data.length).set(data);
      core.sha256(base, data.length, base + data.length);
      return scratch.view(base + data.length, 32).slice();
    }
    const s = sha256Stream();
    s.update(data);
    return s.digest();
  }

  function sha256Stream(): Sha256State {
    // State lives on the TS side, so any number of hashes can be open at once.
    const state = new Uint8Array(32);
    const pending = new Uint8Array(64);
    let pendingLen = 0;
    let total = 0;
    let started = false;
    let done = false;

    function compress(blocks: Uint8Array): void {
      const base = scratch.ensure(32 + blocks.length);
      if (!started) {
        core.sha256Init(base);
        started = true;
      } else {
        scratch.view(base, 32).set(state);
      }
      scratch.view(base + 32, blocks.length).set(blocks);
      core.sha256Compress(base, base + 32, blocks.length >>> 6);
      state.set(scratch.view(base, 32));
    }

    return {
      update(data: Uint8Array): void {
        if (done) throw new Error('Sha256: update() after digest()');
        total += data.length;
        let pos = 0;
        if (pendingLen > 0) {
          const take = Math.min(64 - pendingLen, data.length);
          pending.set(data.subarray(0, take), pendingLen);
          pendingLen += take;
          pos = take;
          if (pendingLen < 64) return;
          compress(pending);
          pendingLen = 0;
        }
        while (data.length - pos >= 64) {
          const len = Math.min(WINDOW, (data.length - pos) & ~63);
          compress(data.subarray(pos, pos + len));
          pos += len;
        }
        pending.set(data.subarray(pos), 0);
        pendingLen = data.length - pos;
      },
      digest(): Uint8Array {
        if (done) throw new Error('Sha256: digest() called twice');
        done = true;
        const base = scratch.ensure(32 + 64 + 32);
        if (!started) core.sha256Init(base);
        else scratch.view(base, 32).set(state);
        scratch.view(base + 32, pendingLen).set(pending.subarray(0, pendingLen));
        core.sha256Finish(base, base + 32, pendingLen, total, base + 96);
        return scratch.view(base + 96, 32).slice();
      },
    };
  }

  function sha256Batch64(data: Uint8Array): Uint8Array {
    const n = data.length >>> 6;
    const out = new Uint8Array(n * 32);
    const perWindow = WINDOW >>> 6;
    for (let first = 0; first < n; first += perWindow) {
      const count = Math.min(perWindow, n - first);
      const base = scratch.ensure(count * 96);
      scratch.view(base, count * 64).set(data.subarray(first * 64, (first + count) * 64));
      core.sha256Batch64(base, count, base + count * 64);
      out.set(scratch.view(base + count * 64, count * 32), first * 32);
    }
    return out;
  }

  function sha256BatchVar(data: Uint8Array, offsets: Uint32Array): Uint8Array {
    const n = Math.max(0, offsets.length - 1);
    const out = new Uint8Array(n * 32);
    let first = 0;
    while (first < n) {
      const start = offsets[first];
      if (offsets[first + 1] - start > WINDOW) {
        // A message larger than a window streams on its own.
        out.set(sha256(data.subarray(start, offsets[first + 1])), first * 32);
        first++;
        continue;
      }
      // The longest run of messages from `first` whose bytes fit in one window.
      let last = first + 1;
      while (last < n && offsets[last + 1] - start <= WINDOW && last - first < MAX_WINDOW_MESSAGES) last++;
      const count = last - first;
      const bytes = offsets[last] - start;
      // Layout: offsets (u32, aligned) | message bytes | digests.
      const offsetsBytes = (count + 1) * 4;
      const base = scratch.ensure(offsetsBytes + bytes + count * 32);
      const rebased = new Uint32Array(core.memory.buffer, base, count + 1);
      for (let i = 0; i <= count; i++) rebased[i] = offsets[first + i] - start;
      scratch.view(base + offsetsBytes, bytes).set(data.subarray(start, start + bytes));
      const digests = base + offsetsBytes + bytes;
      core.sha256BatchVar(base + offsetsBytes, base, count, digests);
      out.set(scratch.view(digests, count * 32), first * 32);
      first = last;
    }
    return out;
  }

  return {
    kind, sha256, sha256Stream, sha256Batch64, sha256BatchVar, chunk: createChunkCore(core, scratch),
    fastcdc: createFastCdc(core, scratch), jmt: createJmtCore(core, scratch), ics23: createIcs23Core(core, scratch),
    merkle: createMerkleCore(core, scratch), ed25519: createEd25519Core(core, scratch),
  };
}
