// A key lookup in the restored state: the value (or its absence) with the proof checked
// against the trusted root, in the page's words.
import type { Store } from '../src/store/store.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { decodeBytesString } from '../src/format/jsonl.js';
import { verifyMembership, verifyNonMembership } from '../src/tree/proof.js';
import { sha256 } from '../src/hash/sha256.js';
import { fromHex, toHex } from '../src/hex.js';
import { explain } from './explain.js';

function hexOrText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return /^[\x20-\x7e]*$/.test(text) ? `"${text}" (0x${toHex(bytes)})` : `0x${toHex(bytes)}`;
}

/** Looks `keyText` up in `store` and writes the verdict into `out`; `trustedRoot` '' means the restored one. */
export async function lookup(store: Store, keyText: string, trustedRoot: string, out: HTMLElement): Promise<void> {
  out.replaceChildren();
  const line = (text: string, cls = '') => {
    const div = document.createElement('div');
    div.className = cls;
    div.textContent = text;
    out.append(div);
    return div;
  };
  try {
    const key = decodeBytesString(keyText, 'the key');
    const view = await openCheckpoint(store);
    const trusted = trustedRoot || view.manifest.root;
    const root = fromHex(trusted, 'the trusted root');
    // One load of the key's chunk answers both the value and its proof.
    const { value, proof } = await view.lookup(key);
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
