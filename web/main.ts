// The lightsnap page: verify a checkpoint from untrusted mirrors against a trusted root in Web
// Workers, restore it into IndexedDB (resuming after a reload), and answer key lookups with
// proofs checked against the root. The page orchestrates; the library does the work.
import { createPool } from '../src/worker/pool.js';
import { httpSource } from '../src/net/http-source.js';
import { idbStore } from '../src/store/idb.js';
import { requestPersistentStorage, storageReport } from '../src/store/persist.js';
import { restoreCheckpoint, verifyCheckpoint, type TransferResult } from '../src/checkpoint/transfer.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { parseManifest, type Manifest } from '../src/format/manifest.js';
import { decodeBytesString } from '../src/format/jsonl.js';
import { verifyMembership, verifyNonMembership } from '../src/tree/proof.js';
import { KeyNotFound } from '../src/errors.js';
import { sha256 } from '../src/hash/sha256.js';
import { fromHex, toHex } from '../src/hex.js';
import type { ProgressEvent } from '../src/progress.js';
import { ChunkMap } from './chunk-map.js';
import { ProgressView, formatBytes } from './progress-view.js';
import { explain, explainBadCopy } from './explain.js';
import { fileListSource } from './file-source.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const urlsInput = $<HTMLTextAreaElement>('urls');
const rootInput = $<HTMLInputElement>('root');
const folderInput = $<HTMLInputElement>('folder');
const buttons = { verify: $<HTMLButtonElement>('verify'), restore: $<HTMLButtonElement>('restore'),
  stop: $<HTMLButtonElement>('stop'), reset: $<HTMLButtonElement>('reset') };
const map = new ChunkMap($('map'));
const progress = new ProgressView({ bar: $('bar'), chunks: $('s-chunks'), bytes: $('s-bytes'), rate: $('s-rate'), eta: $('s-eta') });
const problems = $('problems');

/** Restored state lives in one IndexedDB database per page origin. */
const store = idbStore('lightsnap-page');
// The Restorer's store layout (src/checkpoint/restorer.ts): complete, pending, progress records.
const COMPLETE = 'manifest.json';
const PENDING = 'restore/manifest.json';
const DONE = 'restore/done/';
const FORM_KEY = 'lightsnap-page-form';

const pool = createPool({}, {
  size: navigator.hardwareConcurrency || 2,
  createWorker: () => new Worker(new URL('../src/worker/worker.ts', import.meta.url), { type: 'module', name: 'lightsnap' }),
});

let running: AbortController | undefined;

function setStatus(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind;
}

function setBusy(busy: boolean): void {
  buttons.verify.disabled = busy;
  buttons.restore.disabled = busy;
  buttons.reset.disabled = busy;
  buttons.stop.disabled = !busy;
  document.body.dataset.busy = busy ? '1' : '';
}

function addProblem(text: string): void {
  const li = document.createElement('li');
  li.textContent = text;
  problems.append(li);
}

function formValues(): { urls: string[]; root: string } {
  const urls = urlsInput.value.split(/\s+/).map((u) => u.trim()).filter(Boolean)
    .map((u) => new URL(u, location.href).href);
  return { urls, root: rootInput.value.trim().toLowerCase() };
}

/** Query parameters (?url=…&url=…&root=…) win over what the last visit typed. */
function prefill(): void {
  const q = new URLSearchParams(location.search);
  const saved = JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}') as { urls?: string; root?: string };
  const urls = q.getAll('url');
  urlsInput.value = urls.length ? urls.join('\n') : saved.urls ?? '';
  rootInput.value = q.get('root') ?? saved.root ?? '';
}

function remember(): void {
  localStorage.setItem(FORM_KEY, JSON.stringify({ urls: urlsInput.value, root: rootInput.value }));
}

async function showStorage(): Promise<void> {
  const r = await storageReport();
  $('storage').textContent = r.quota === undefined ? ''
    : `storage: ${formatBytes(r.usage ?? 0)} used of ${formatBytes(r.quota)}${r.persisted ? ' · persistent' : ''}`;
}

function showWorkers(): void {
  const s = pool.stats();
  $('s-workers').textContent = `${s.busy} busy of ${pool.size}`;
}

async function markStored(manifest: Manifest, complete: boolean): Promise<number> {
  map.reset(manifest.chunks.length);
  const done = complete ? manifest.chunks.map((_, i) => i) : (await store.keys(DONE)).map((k) => Number(k.slice(DONE.length)));
  for (const i of done) map.set(i, 'stored');
  return done.length;
}

function onProgress(e: ProgressEvent): void {
  if (e.chunk === undefined) {
    // The first event of a run: the map's size, and what an earlier run already stored.
    const allStored = e.phase === 'restore' && e.chunksDone === e.chunksTotal;
    map.reset(e.chunksTotal, allStored ? 'stored' : 'waiting');
    if (e.phase === 'restore' && !allStored) {
      void store.keys(DONE).then((keys) => keys.forEach((k) => map.set(Number(k.slice(DONE.length)), 'stored')));
    }
    progress.start(e);
  } else {
    map.set(e.chunk, e.state ?? 'fetching');
    if (e.state === 'bad' && e.error && e.source) addProblem(explainBadCopy({ chunk: e.chunk, source: e.source, ...e.error }));
    progress.render(e);
  }
  showWorkers();
}

function summary(kind: 'verify' | 'restore', r: TransferResult): string {
  const bytes = r.manifest.chunks.reduce((a, c) => a + c.size, 0);
  const what = kind === 'verify'
    ? `Verified: all ${r.manifest.chunks.length} chunks (${formatBytes(bytes)}) prove out against your root.`
    : `Restored: ${r.manifest.chunks.length} chunks (${formatBytes(bytes)}, version ${r.manifest.version}) are stored in this browser`
      + (r.skipped ? `; ${r.skipped} were already here and were not downloaded again.` : '.');
  const bad = new Set(r.badSources.map((b) => b.source));
  const n = r.badSources.length;
  return n ? `${what} ${n} bad ${n === 1 ? 'copy' : 'copies'} from ${[...bad].join(', ')} ${n === 1 ? 'was' : 'were'} refused.` : what;
}

async function run(kind: 'verify' | 'restore'): Promise<void> {
  const { urls, root } = formValues();
  const folder = folderInput.files?.length ? fileListSource(folderInput.files) : undefined;
  if (urls.length === 0 && !folder) return setStatus('Please paste the checkpoint URL first, or pick its folder.', 'error');
  remember();
  problems.replaceChildren();
  running = new AbortController();
  setBusy(true);
  setStatus(kind === 'verify' ? 'Verifying…' : 'Restoring…');
  document.body.dataset.done = '';
  try {
    if (kind === 'restore') await requestPersistentStorage();
    const opts = {
      sources: folder ? [folder] : urls.map((u) => httpSource(u)), root, verifier: pool,
      concurrency: pool.size * 2, onProgress, signal: running.signal,
    };
    const result = kind === 'verify' ? await verifyCheckpoint(opts) : await restoreCheckpoint({ ...opts, store });
    setStatus(summary(kind, result), 'ok');
    document.body.dataset.done = kind;
  } catch (err) {
    setStatus(explain(err), 'error');
    document.body.dataset.done = 'error';
  } finally {
    running = undefined;
    setBusy(false);
    showWorkers();
    void showStorage();
  }
}

function hexOrText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return /^[\x20-\x7e]*$/.test(text) ? `"${text}" (0x${toHex(bytes)})` : `0x${toHex(bytes)}`;
}

async function lookup(keyText: string): Promise<void> {
  const out = $('lookup-result');
  out.replaceChildren();
  const line = (html: string, cls = '') => {
    const div = document.createElement('div');
    div.className = cls;
    div.textContent = html;
    out.append(div);
    return div;
  };
  try {
    const key = decodeBytesString(keyText, 'the key');
    const view = await openCheckpoint(store);
    const trusted = formValues().root || view.manifest.root;
    const root = fromHex(trusted, 'the trusted root');
    const proof = await view.prove(key);
    let value: Uint8Array | undefined;
    try {
      value = await view.get(key);
    } catch (err) {
      if (!(err instanceof KeyNotFound)) throw err;
    }
    if (value) {
      verifyMembership(root, sha256(key), sha256(value), proof);
      line(`value: ${hexOrText(value)}`).id = 'lookup-value';
      line(`✓ present — the proof (${proof.siblings.length} sibling hashes) checks out against root ${trusted.slice(0, 16)}…`, 'verdict-ok').id = 'lookup-verdict';
    } else {
      verifyNonMembership(root, sha256(key), proof);
      line('✓ absent — the key is not in the state, and the proof of absence checks out against the root', 'verdict-ok').id = 'lookup-verdict';
    }
  } catch (err) {
    line(explain(err), 'verdict-bad').id = 'lookup-verdict';
  }
}

async function resetStore(): Promise<void> {
  await store.delete(await store.keys(''));
  map.reset(0);
  setStatus('The restored data was deleted from this browser.');
  void showStorage();
}

/** What an earlier visit left: a complete restore, or one a reload interrupted (resumed now). */
async function recover(): Promise<void> {
  const pending = await store.get(PENDING);
  const complete = await store.get(COMPLETE);
  const bytes = pending ?? complete;
  if (!bytes) return;
  const manifest = parseManifest(bytes);
  const stored = await markStored(manifest, !pending);
  if (!pending) {
    setStatus(`A restored checkpoint (version ${manifest.version}, ${manifest.chunks.length} chunks) is in this browser: look up keys below.`, 'ok');
    document.body.dataset.done = 'restored-earlier';
    return;
  }
  setStatus(`An interrupted restore is here (${stored} of ${manifest.chunks.length} chunks stored). Continuing…`);
  const { urls } = formValues();
  if (urls.length && formValues().root === manifest.root) await run('restore');
  else setStatus(`An interrupted restore is here (${stored} of ${manifest.chunks.length} chunks stored): enter its URL and root and press Restore to continue.`);
}

buttons.verify.addEventListener('click', () => void run('verify'));
buttons.restore.addEventListener('click', () => void run('restore'));
buttons.stop.addEventListener('click', () => running?.abort(new DOMException('stopped', 'AbortError')));
buttons.reset.addEventListener('click', () => void resetStore());
$('lookup').addEventListener('submit', (e) => {
  e.preventDefault();
  void lookup($<HTMLInputElement>('key').value);
});

prefill();
showWorkers();
void showStorage();
void recover().catch((err) => setStatus(explain(err), 'error'));
