// Failures of the worker machinery itself, as opposed to what a worker's task reported.
import { LightsnapError } from '../errors.js';

/** A worker failed to load, crashed or exited, twice for the same task (the retry included). */
export class WorkerFailed extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WorkerFailed', message, options);
    this.name = 'WorkerFailed';
  }
}

/** The pool was closed while the call waited for a worker or ran on one. */
export class PoolClosed extends LightsnapError {
  constructor() {
    super('PoolClosed', 'the worker pool was closed');
    this.name = 'PoolClosed';
  }
}
