// Browser storage that survives: by default a browser may evict an origin's IndexedDB under
// storage pressure, which would throw away a restored checkpoint. These ask for persistent
// storage and report how much room is left, so a page can warn before a restore cannot fit.
// Outside a browser (no navigator.storage) they report that nothing is known.

export interface StorageReport {
  /** Whether the browser promised not to evict this origin's storage. */
  persisted: boolean;
  /** Bytes this origin uses, when the browser says. */
  usage?: number;
  /** Bytes this origin may use in all, when the browser says. */
  quota?: number;
}

function storageManager(): StorageManager | undefined {
  return (globalThis.navigator as Navigator | undefined)?.storage;
}

/**
 * Asks the browser to keep this origin's storage (`navigator.storage.persist()`); resolves to
 * whether it is now persistent. Browsers may decide by engagement or prompt the user; a refusal
 * is not an error.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = storageManager();
  if (!storage?.persist) return false;
  if (await storage.persisted?.()) return true;
  return storage.persist();
}

/** Persistence, usage and quota of this origin's storage. */
export async function storageReport(): Promise<StorageReport> {
  const storage = storageManager();
  const persisted = (await storage?.persisted?.()) ?? false;
  const estimate = (await storage?.estimate?.()) ?? {};
  return { persisted, usage: estimate.usage, quota: estimate.quota };
}

/** Whether `bytes` more fit in the quota, as far as the browser says (true when it does not say). */
export function fits(report: StorageReport, bytes: number): boolean {
  if (report.quota === undefined || report.usage === undefined) return true;
  return report.usage + bytes <= report.quota;
}
