// Yielding to the event loop. A long chain of promise continuations (a merge handing batches to
// the writer, a run being cut into pieces) never lets the loop run, and a store's I/O is a chain
// of callbacks that each need a turn of it (a file read is open, stat, read, close): reads and
// writes started ahead stall until the chain waits on one of them. Awaiting this now and then
// lets them advance in the background.
export function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  // Browsers: a message is a task of its own, not clamped like a nested setTimeout.
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
