// The "trust a chain" panel: proves the checkpoint root from the chain itself with the light
// client (lightsnap/light) — RPC URLs (the first is the primary, the others witnesses), a
// trusted height and header hash, the checkpoint's height — then fills the root in the form.
import { LightClient, rpcProvider, trustedRoot } from '../src/light/index.js';

export interface TrustPanelElements {
  rpcs: HTMLTextAreaElement;
  height: HTMLInputElement;
  hash: HTMLInputElement;
  target: HTMLInputElement;
  button: HTMLButtonElement;
  result: HTMLElement;
}

const TRUST_KEY = 'lightsnap-page-trust';

export class TrustPanel {
  constructor(private readonly el: TrustPanelElements, private readonly fillRoot: (root: string) => void,
    private readonly explain: (err: unknown) => string) {
    el.button.addEventListener('click', () => void this.prove());
  }

  prefill(): void {
    const q = new URLSearchParams(location.search);
    const saved = JSON.parse(localStorage.getItem(TRUST_KEY) ?? '{}') as Record<string, string>;
    const rpcs = q.getAll('rpc');
    this.el.rpcs.value = rpcs.length ? rpcs.join('\n') : saved.rpcs ?? '';
    this.el.height.value = q.get('trusted-height') ?? saved.height ?? '';
    this.el.hash.value = q.get('trusted-hash') ?? saved.hash ?? '';
    this.el.target.value = q.get('height') ?? saved.target ?? '';
  }

  private show(text: string, kind: 'ok' | 'error' | 'info'): void {
    this.el.result.textContent = text;
    this.el.result.dataset.kind = kind;
  }

  async prove(): Promise<void> {
    const urls = this.el.rpcs.value.split(/\s+/).filter(Boolean).map((u) => new URL(u, location.href).href);
    const height = Number(this.el.height.value);
    const target = Number(this.el.target.value || 0);
    localStorage.setItem(TRUST_KEY, JSON.stringify({ rpcs: this.el.rpcs.value, height: this.el.height.value, hash: this.el.hash.value, target: this.el.target.value }));
    if (!urls.length) return this.show('Enter the RPC URL of a node of the chain (more lines: witnesses).', 'error');
    this.el.button.disabled = true;
    this.show('Verifying headers…', 'info');
    try {
      const [primary, ...witnesses] = urls.map((u) => rpcProvider(u));
      const client = await LightClient.create({
        primary, witnesses, trust: { height, hash: this.el.hash.value.trim() }, trustingPeriodMs: 14 * 24 * 3600_000,
      });
      const root = await trustedRoot(client, target);
      this.fillRoot(root.root);
      const dropped = client.droppedWitnesses.map((d) => ` Witness ${d.witness} was dropped: ${d.reason}.`).join('');
      this.show(`Header ${root.height} verified (hash ${root.headerHash.slice(0, 16)}…), signed by ${root.signedPower} of `
        + `${root.totalPower} voting power, cross-checked with ${witnesses.length - client.droppedWitnesses.length} witness(es). `
        + `Its app hash is the trusted root below.${dropped}`, 'ok');
    } catch (err) {
      this.show(this.explain(err), 'error');
    } finally {
      this.el.button.disabled = false;
    }
  }
}
