// Drawing progress a few times a second, not at the display's frame rate. Each frame the page
// draws costs the renderer's main thread a style, layout, paint and commit pass, and that
// thread also fetches the chunks and writes them to IndexedDB: a restore that redrew its
// figures at 60 frames a second spent about as much main-thread time drawing as restoring.

/** The shortest time between two draws. */
export const DRAW_INTERVAL_MS = 250;

/**
 * `draw`, called at most once per DRAW_INTERVAL_MS, in an animation frame, after a request:
 * the returned function requests a draw, and requests that come before it runs share it.
 */
export function throttledDraw(draw: () => void): () => void {
  let pending = false;
  let last = -Infinity;
  return () => {
    if (pending) return;
    pending = true;
    setTimeout(() => requestAnimationFrame(() => {
      pending = false;
      last = performance.now();
      draw();
    }), Math.max(0, last + DRAW_INTERVAL_MS - performance.now()));
  };
}
