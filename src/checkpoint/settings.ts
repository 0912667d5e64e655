// Checkpoint settings that change at planned heights (an upgrade plan can carry them, see
// docs/VISOR.md): each entry's settings apply from its height on, later entries overriding.

export interface CheckpointSettings {
  /** Chunk size limit of checkpoints taken from this height on (minimum and average follow). */
  maxChunkBytes?: number;
  /** Manifest format version written from this height on. */
  formatVersion?: number;
}

/** The settings in force at `height`, from entries in increasing height order. */
export function checkpointSettingsAt(plan: ReadonlyArray<{ height: number; checkpoint?: CheckpointSettings }>, height: number): CheckpointSettings {
  const settings: CheckpointSettings = {};
  for (const entry of plan) {
    if (entry.height > height) break;
    Object.assign(settings, entry.checkpoint);
  }
  return settings;
}
