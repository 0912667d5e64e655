// The lightsnap page: verify a checkpoint from untrusted mirrors against a trusted root in Web
// Workers, restore it into IndexedDB (resuming after a reload), and answer key lookups with
// proofs checked against the root. The page orchestrates through the library's public API;
// this file wires the parts: the form (form.ts), runs (run.ts), lookups (lookup.ts) and the
// browser's storage (storage.ts).
import { init } from '../src/core/load.js';
import { createPool } from '../src/worker/pool.js';
import { idbStore } from '../src/store/idb.js';
import { Restorer } from '../src/checkpoint/restorer.js';
import { ChunkMap } from './chunk-map.js';
import { ProgressView } from './progress-view.js';
import { explain } from './explain.js';
import { CheckpointForm } from './form.js';
import { Runner } from './run.js';
import { lookup } from './lookup.js';
import { STORE_NAME, deleteAll, storageLine } from './storage.js';
import { TrustPanel } from './trust.js';
import { throttledDraw } from './draw-throttle.js';

// The core first: where WebAssembly SIMD is refused or WebAssembly is forbidden (a strict CSP)
// only init() can fetch the fallback, and lookups use the core synchronously. The workers are
// handed the same core. `data-core` says which one runs (e2e/csp.spec.ts reads it).
document.documentElement.dataset.core = await init();

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const buttons = { verify: $<HTMLButtonElement>('verify'), restore: $<HTMLButtonElement>('restore'),
  stop: $<HTMLButtonElement>('stop'), reset: $<HTMLButtonElement>('reset') };
const form = new CheckpointForm({ urls: $<HTMLTextAreaElement>('urls'), root: $<HTMLInputElement>('root'), folder: $<HTMLInputElement>('folder') });
const map = new ChunkMap($('map'));
const progress = new ProgressView({ bar: $('bar'), chunks: $('s-chunks'), bytes: $('s-bytes'), rate: $('s-rate'), eta: $('s-eta') });
const problems = $('problems');
const store = idbStore(STORE_NAME);
const pool = createPool({}, {
  size: navigator.hardwareConcurrency || 2,
  createWorker: () => new Worker(new URL('../src/worker/worker.ts', import.meta.url), { type: 'module', name: 'lightsnap' }),
});

function setStatus(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind;
}

const showWorkers = throttledDraw(() => {
  const s = pool.stats();
  $('s-workers').textContent = `${s.busy} busy of ${pool.size}`;
});

function showStorage(): void {
  void storageLine().then((text) => { $('storage').textContent = text; });
}

const runner = new Runner(form, store, pool, {
  map, progress, setStatus, showWorkers, showStorage,
  setBusy(busy) {
    buttons.verify.disabled = busy;
    buttons.restore.disabled = busy;
    buttons.reset.disabled = busy;
    buttons.stop.disabled = !busy;
    document.body.dataset.busy = busy ? '1' : '';
  },
  setDone(done) { document.body.dataset.done = done; },
  clearProblems() { problems.replaceChildren(); },
  addProblem(text) {
    const li = document.createElement('li');
    li.textContent = text;
    problems.append(li);
  },
});

async function resetStore(): Promise<void> {
  await deleteAll(store);
  map.reset(0);
  setStatus('The restored data was deleted from this browser.');
  showStorage();
}

/** What an earlier visit left: a complete restore, or one a reload interrupted (resumed now). */
async function recover(): Promise<void> {
  const status = await Restorer.status(store);
  if (!status) return;
  const { manifest, complete, stored } = status;
  map.reset(manifest.chunks.length);
  for (const i of stored) map.set(i, 'stored');
  if (complete) {
    setStatus(`A restored checkpoint (version ${manifest.version}, ${manifest.chunks.length} chunks) is in this browser: look up keys below.`, 'ok');
    document.body.dataset.done = 'restored-earlier';
    return;
  }
  const counts = `${stored.length} of ${manifest.chunks.length} chunks stored`;
  setStatus(`An interrupted restore is here (${counts}). Continuing…`);
  if (form.urls.length && form.root === manifest.root) await runner.run('restore');
  else setStatus(`An interrupted restore is here (${counts}): enter its URL and root and press Restore to continue.`);
}

buttons.verify.addEventListener('click', () => void runner.run('verify'));
buttons.restore.addEventListener('click', () => void runner.run('restore'));
buttons.stop.addEventListener('click', () => runner.stop());
buttons.reset.addEventListener('click', () => void resetStore());
$('lookup').addEventListener('submit', (e) => {
  e.preventDefault();
  void lookup(store, $<HTMLInputElement>('key').value, form.root, $('lookup-result'));
});

const trust = new TrustPanel({
  rpcs: $<HTMLTextAreaElement>('rpcs'), height: $<HTMLInputElement>('trusted-height'), hash: $<HTMLInputElement>('trusted-hash'),
  target: $<HTMLInputElement>('target-height'), button: $<HTMLButtonElement>('prove'), result: $('trust-result'),
}, (root) => { $<HTMLInputElement>('root').value = root; form.remember(); }, explain);

form.prefill();
trust.prefill();
showWorkers();
showStorage();
void recover().catch((err) => setStatus(explain(err), 'error'));
