// The one message of lightsnap's own beside comlink's: a worker posts `{ [READY_KEY]: coreKind }`
// once comlink listens, and the pool sends no call before it (comlink drops earlier messages).
export const READY_KEY = 'lightsnapWorkerReady';
