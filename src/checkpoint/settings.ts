// Checkpoint settings that change at planned heights (an upgrade plan can carry them, see
// docs/VISOR.md): each entry's settings apply from its height on, later entries overriding.
import { assertArray, assertInteger, assertObject } from '../assert.js';

export interface CheckpointSettings {
  /** Chunk size limit of checkpoints taken from this height on (minimum and average follow). */
  maxChunkBytes?: number;
  /** Manifest format version written from this height on. */
  formatVersion?: number;
}

/** The settings in force at `height`, from entries in increasing height order. */
export function checkpointSettingsAt(plan: ReadonlyArray<{ height: number; checkpoint?: CheckpointSettings }>, height: number): CheckpointSettings {
  assertArray(plan, 'plan');
  assertInteger(height, 'height', 0, Number.MAX_SAFE_INTEGER);
  const settings: CheckpointSettings = {};
  for (const [i, entry] of plan.entries()) {
    assertObject(entry, `plan[${i}]`);
    assertInteger(entry.height, `plan[${i}].height`, 0, Number.MAX_SAFE_INTEGER);
    if (entry.height > height) break;
    if (entry.checkpoint === undefined) continue;
    assertObject(entry.checkpoint, `plan[${i}].checkpoint`);
    const { maxChunkBytes, formatVersion } = entry.checkpoint;
    if (maxChunkBytes !== undefined) settings.maxChunkBytes = maxChunkBytes;
    if (formatVersion !== undefined) settings.formatVersion = formatVersion;
  }
  return settings;
}
