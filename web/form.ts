// The form: the mirrors' URLs or a folder picked from disk, and the trusted root. Remembered
// between visits; query parameters (?url=…&url=…&root=…) win over what the last visit typed.
import { httpSource } from '../src/net/http-source.js';
import type { Source } from '../src/net/source.js';
import { fileListSource } from './file-source.js';

const FORM_KEY = 'lightsnap-page-form';

export class CheckpointForm {
  constructor(private readonly el: { urls: HTMLTextAreaElement; root: HTMLInputElement; folder: HTMLInputElement }) {}

  /** The trusted root as typed, lowercased; '' when empty. */
  get root(): string {
    return this.el.root.value.trim().toLowerCase();
  }

  /** The mirrors' URLs, resolved against the page. */
  get urls(): string[] {
    return this.el.urls.value.split(/\s+/).map((u) => u.trim()).filter(Boolean).map((u) => new URL(u, location.href).href);
  }

  /** Where to fetch from: the picked folder if any, else each URL; empty when neither is given. */
  sources(): Source[] {
    const files = this.el.folder.files;
    return files?.length ? [fileListSource(files)] : this.urls.map((u) => httpSource(u));
  }

  prefill(): void {
    const q = new URLSearchParams(location.search);
    const saved = JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}') as { urls?: string; root?: string };
    const urls = q.getAll('url');
    this.el.urls.value = urls.length ? urls.join('\n') : saved.urls ?? '';
    this.el.root.value = q.get('root') ?? saved.root ?? '';
  }

  remember(): void {
    localStorage.setItem(FORM_KEY, JSON.stringify({ urls: this.el.urls.value, root: this.el.root.value }));
  }
}
