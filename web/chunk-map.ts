// The chunk map: one cell per chunk, coloured by state (styles in index.html). A cell that
// had a bad copy keeps a red outline after a good copy replaced it.
import type { ChunkState } from '../src/progress.js';

export class ChunkMap {
  private cells: HTMLElement[] = [];

  constructor(private readonly root: HTMLElement) {}

  /** One cell per chunk, all in `state`. */
  reset(total: number, state: ChunkState = 'waiting'): void {
    if (this.cells.length !== total) {
      this.cells = Array.from({ length: total }, (_, i) => {
        const cell = document.createElement('i');
        cell.title = `chunk ${i}`;
        return cell;
      });
      this.root.replaceChildren(...this.cells);
    }
    for (const cell of this.cells) {
      delete cell.dataset.hadBad;
      this.paint(cell, state);
    }
  }

  set(index: number, state: ChunkState): void {
    const cell = this.cells[index];
    if (!cell) return;
    if (state === 'bad') cell.dataset.hadBad = '1';
    this.paint(cell, state);
  }

  private paint(cell: HTMLElement, state: ChunkState): void {
    cell.dataset.state = state;
    cell.style.outline = cell.dataset.hadBad && state !== 'bad' ? '2px solid var(--bad)' : '';
  }
}
