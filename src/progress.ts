// Progress reported by long operations. Libraries never print: the CLI renders these as a bar
// (TTY), lines (CI) or NDJSON (--json), the web page as its chunk map.

export type ChunkState = 'waiting' | 'fetching' | 'verified' | 'stored' | 'bad';

export interface ProgressEvent {
  phase: 'create' | 'verify' | 'restore';
  chunksDone: number;
  /** Absent while unknown: a create from a stream learns its size only at the end. */
  chunksTotal?: number;
  bytesDone: number;
  /** Absent while unknown, as `chunksTotal`. */
  bytesTotal?: number;
  /** The chunk this event is about, if any, and what just happened to it. */
  chunk?: number;
  state?: ChunkState;
  /** The source involved (for `bad`, the one that sent bad data). */
  source?: string;
  /** For `bad`: the error code and message. */
  error?: { code: string; message: string };
}

export type ProgressListener = (event: ProgressEvent) => void;

/** An event of a verify or a restore: the manifest gives both totals up front. */
export type TransferProgressEvent = ProgressEvent & { chunksTotal: number; bytesTotal: number };
