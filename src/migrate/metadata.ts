// migration.json (docs/FORMAT.md, "Migration"): what the old side has recorded so far. The
// follower polls it, so it is small, canonical (re-encoded and compared, as the manifest) and
// checked field by field; its statuses are Kwil's.
import { MigrationInvalid } from '../errors.js';
import { assertBytes } from '../assert.js';
import { jsonFields, parseCanonicalJson } from '../format/json-fields.js';
import { declarationId, endHeight, validateDeclaration, type MigrationDeclaration } from './declaration.js';

export const MIGRATION_FORMAT = 'lightsnap/migration';
export const MIGRATION_FORMAT_VERSION = 1;
/** Largest migration.json accepted. */
export const MAX_MIGRATION_BYTES = 64 << 10;

/** Statuses of a declared migration; `NoActiveMigration` is the absence of migration.json. */
export type MigrationStatus = 'ActivationPeriod' | 'InProgress' | 'Completed';
const STATUSES: readonly MigrationStatus[] = ['ActivationPeriod', 'InProgress', 'Completed'];

export interface GenesisInfo {
  /** The JMT root of the state after the start height's block. */
  root: string;
  /** SHA-256 of the genesis checkpoint's manifest bytes. */
  checkpointId: string;
  /** Chunks in the genesis checkpoint. */
  chunks: number;
}

export interface MigrationMetadata {
  format: typeof MIGRATION_FORMAT;
  formatVersion: typeof MIGRATION_FORMAT_VERSION;
  /** SHA-256 of the declaration's canonical bytes. */
  id: string;
  declaration: MigrationDeclaration;
  status: MigrationStatus;
  startHeight: number;
  endHeight: number;
  /** Present from the start height on. */
  genesis: GenesisInfo | null;
  /** The last height whose changeset is stored (null before start + 1). */
  lastChangeset: number | null;
}

/** The canonical bytes: fixed key order, no whitespace, a final newline. */
export function encodeMigration(m: MigrationMetadata): Uint8Array {
  validateMigration(m);
  const canonical = {
    format: m.format, formatVersion: m.formatVersion, id: m.id,
    declaration: { startHeight: m.declaration.startHeight, duration: m.declaration.duration, timestamp: m.declaration.timestamp },
    status: m.status, startHeight: m.startHeight, endHeight: m.endHeight,
    genesis: m.genesis && { root: m.genesis.root, checkpointId: m.genesis.checkpointId, chunks: m.genesis.chunks },
    lastChangeset: m.lastChangeset,
  };
  return new TextEncoder().encode(JSON.stringify(canonical) + '\n');
}

function fail(message: string): never {
  throw new MigrationInvalid(`migration.json: ${message}`);
}

const { hex64, object } = jsonFields(fail);

/** Checks every field and that they agree with each other (id, heights, status). */
export function validateMigration(value: unknown): MigrationMetadata {
  const m = object(value, 'the migration');
  if (m.format !== MIGRATION_FORMAT) fail(`format must be ${JSON.stringify(MIGRATION_FORMAT)}`);
  if (m.formatVersion !== MIGRATION_FORMAT_VERSION) {
    fail(`formatVersion ${JSON.stringify(m.formatVersion)} is not supported (this lightsnap reads ${MIGRATION_FORMAT_VERSION})`);
  }
  const declaration = validateDeclaration(m.declaration);
  const id = hex64(m.id, 'id');
  if (id !== declarationId(declaration)) fail('id is not the SHA-256 of the declaration\'s canonical bytes');
  const start = declaration.startHeight;
  const end = endHeight(declaration);
  if (m.startHeight !== start || m.endHeight !== end) fail(`startHeight and endHeight must be ${start} and ${end}, as the declaration says`);
  const status = m.status as MigrationStatus;
  if (!STATUSES.includes(status)) fail(`status must be one of ${STATUSES.join(', ')}`);
  let genesis: GenesisInfo | null = null;
  if (m.genesis !== null) {
    const g = object(m.genesis, 'genesis');
    if (typeof g.chunks !== 'number' || !Number.isSafeInteger(g.chunks) || g.chunks < 1) fail('genesis.chunks must be a positive integer');
    genesis = { root: hex64(g.root, 'genesis.root'), checkpointId: hex64(g.checkpointId, 'genesis.checkpointId'), chunks: g.chunks };
  }
  const last = m.lastChangeset;
  if (last !== null && (typeof last !== 'number' || !Number.isSafeInteger(last) || last <= start || last > end)) {
    fail(`lastChangeset must be null or a height from ${start + 1} to ${end}`);
  }
  const lastChangeset = last as number | null;
  if (status === 'ActivationPeriod' && (genesis || lastChangeset !== null)) fail('an ActivationPeriod migration has no genesis nor changesets yet');
  if (status !== 'ActivationPeriod' && !genesis) fail(`a migration ${status} must name its genesis checkpoint`);
  const done = (lastChangeset ?? start) === end;
  if (status === 'Completed' && !done) fail(`a Completed migration has every changeset up to ${end}`);
  if (status === 'InProgress' && done) fail(`a migration with every changeset up to ${end} is Completed`);
  return {
    format: MIGRATION_FORMAT, formatVersion: MIGRATION_FORMAT_VERSION, id, declaration, status,
    startHeight: start, endHeight: end, genesis, lastChangeset,
  };
}

/** Parses migration.json bytes; they must be exactly the canonical encoding. */
export function parseMigration(bytes: Uint8Array): MigrationMetadata {
  assertBytes(bytes, 'bytes');
  return parseCanonicalJson(bytes, 'the file', MAX_MIGRATION_BYTES, validateMigration, encodeMigration, fail);
}
