// The chunk map: one square per chunk, coloured by state, drawn on a canvas. A square that
// had a bad copy keeps a red outline after a good copy replaced it.
//
// A canvas, not one element per chunk: with thousands of elements in a CSS grid, every frame
// of a restore re-laid-out and repainted all of them, so the page's cost per chunk grew with
// the checkpoint (at 2,617 chunks the renderer spent more CPU drawing the map than restoring).
// Here a change marks its square, and the next draw (a few a second: draw-throttle.ts) redraws
// only the marked squares.
//
// The states are also on the element as text, one letter per chunk (`data-states`: w waiting,
// f fetching, v verified, s stored, b bad; upper case once a bad copy was seen), for scripts
// and tests; it is brought up to date with each draw.
import type { ChunkState } from '../src/progress.js';
import { throttledDraw } from './draw-throttle.js';

const LETTER: Record<ChunkState, number> = { waiting: 0x77, fetching: 0x66, verified: 0x76, stored: 0x73, bad: 0x62 };
const STATE_OF: Record<number, ChunkState> = Object.fromEntries(Object.entries(LETTER).map(([s, c]) => [c, s as ChunkState]));
/** ASCII's lower-case bit: cleared (upper case) once a chunk had a bad copy. */
const LOWER = 0x20;
const CELL = 14;
const GAP = 3;
const text = new TextDecoder();

export class ChunkMap {
  /** One ASCII letter per chunk: the state, upper case if a bad copy was seen. */
  private states = new Uint8Array(0);
  private dirty = new Set<number>();
  private repaintAll = true;
  private columns = 0;
  private readonly canvas: HTMLCanvasElement;
  private readonly schedule = throttledDraw(() => this.draw());

  constructor(private readonly root: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    root.replaceChildren(this.canvas);
    new ResizeObserver(() => this.invalidate()).observe(root);
    this.canvas.addEventListener('mousemove', (e) => {
      const i = this.indexAt(e.offsetX, e.offsetY);
      this.canvas.title = i === undefined ? '' : `chunk ${i}: ${STATE_OF[this.states[i] | LOWER]}`;
    });
  }

  /** One square per chunk, all in `state`. */
  reset(total: number, state: ChunkState = 'waiting'): void {
    this.states = new Uint8Array(total).fill(LETTER[state]);
    this.dirty.clear();
    this.invalidate();
  }

  set(index: number, state: ChunkState): void {
    if (!(index >= 0 && index < this.states.length)) return;
    const hadBad = state === 'bad' || (this.states[index] & LOWER) === 0;
    this.states[index] = hadBad ? LETTER[state] & ~LOWER : LETTER[state];
    this.dirty.add(index);
    this.schedule();
  }

  private invalidate(): void {
    this.repaintAll = true;
    this.schedule();
  }

  private draw(): void {
    const total = this.states.length;
    const style = getComputedStyle(this.root);
    const colour = (name: string) => style.getPropertyValue(name).trim();
    const width = this.root.clientWidth;
    const columns = Math.max(1, Math.floor((width + GAP) / (CELL + GAP)));
    const height = Math.ceil(total / columns) * (CELL + GAP);
    const ratio = devicePixelRatio || 1;
    if (columns !== this.columns || this.canvas.height !== Math.round(height * ratio) || this.canvas.width !== Math.round(width * ratio)) {
      this.columns = columns;
      this.canvas.width = Math.round(width * ratio); // resizing clears the canvas
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
      this.repaintAll = true;
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx) {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      const fills: Record<number, string> = {};
      for (const [state, c] of Object.entries(LETTER)) fills[c] = colour(`--${state}`);
      const bad = colour('--bad');
      const paint = (i: number) => {
        const x = (i % columns) * (CELL + GAP);
        const y = Math.floor(i / columns) * (CELL + GAP);
        const letter = this.states[i] | LOWER;
        ctx.clearRect(x, y, CELL, CELL);
        ctx.fillStyle = fills[letter];
        ctx.fillRect(x, y, CELL, CELL);
        if (!(this.states[i] & LOWER) && letter !== LETTER.bad) {
          ctx.strokeStyle = bad;
          ctx.lineWidth = 2;
          ctx.strokeRect(x + 1, y + 1, CELL - 2, CELL - 2);
        }
      };
      if (this.repaintAll) for (let i = 0; i < total; i++) paint(i);
      else for (const i of this.dirty) paint(i);
    }
    this.repaintAll = false;
    this.dirty.clear();
    this.root.dataset.states = text.decode(this.states);
    this.canvas.setAttribute('aria-label', `chunk map: ${total} chunks`);
  }

  private indexAt(x: number, y: number): number | undefined {
    const col = Math.floor(x / (CELL + GAP));
    const i = Math.floor(y / (CELL + GAP)) * this.columns + col;
    return col < this.columns && i < this.states.length ? i : undefined;
  }
}
