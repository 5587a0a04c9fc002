import { afterCommit, beforeCommit, transactionLocal, type Database, type Tx } from '../kernel/db/engine.js';
import { actFor, type StaffPrincipal } from '../kernel/callers.js';
import { canonicalEntry, verifyChain } from './chain.js';
import type { AuditEntry, AuditVerifyResult } from './contract.js';
import { auditRepository, type AuditFilter, type TrailRow } from './repository.js';
import { AuditSealer } from './sealer.js';

/** What one personal-data access (or other audited action) records. */
export interface AuditRecord {
  actor: string;
  action: string;
  residentId?: string | null;
  purpose: string;
  categories: string[];
  fields: string[];
  requestId: string;
}

/** An entry as staff see it (./contract.ts AuditEntry). */
export type AuditEntryView = AuditEntry;

const view = (r: TrailRow): AuditEntryView => ({
  id: r.sealed ? `s${r.seq}` : `p${r.pendingId}`, seq: r.seq, at: r.at.toISOString(), actor: r.actor, action: r.action, residentId: r.residentId,
  purpose: r.purpose, categories: r.categories, fields: r.fields, requestId: r.requestId, hash: r.hash, sealed: r.sealed,
});

/** A chain's verification, with the entries still waiting to be sealed (./contract.ts AuditVerifyResult). */
export type AuditVerdict = AuditVerifyResult;

export class AuditService {
  /** Seals committed entries into each municipality's chain, off the request path. */
  readonly sealer: AuditSealer;

  constructor(private readonly db: Database, opts: { onSealError?: (e: unknown) => void } = {}, private readonly repo: typeof auditRepository = auditRepository) {
    this.sealer = new AuditSealer(db, opts.onSealError);
  }

  /**
   * Appends one entry inside the caller's transaction (acting for `code`), so the entry commits
   * exactly when the access it records does. It takes its place in the hash chain moments after the
   * commit (AuditSealer): audited requests of one municipality never wait for each other.
   */
  async append(tx: Tx, code: string, rec: AuditRecord): Promise<void> {
    const entry = {
      municipalityCode: code,
      at: new Date(),
      actor: rec.actor,
      action: rec.action,
      residentId: rec.residentId ?? null,
      purpose: rec.purpose,
      categories: [...rec.categories].sort(),
      fields: [...rec.fields].sort(),
      requestId: rec.requestId,
    };
    const row = { ...entry, canonical: canonicalEntry(entry) };
    // A request's entries go in one statement, the transaction's last before COMMIT; the sealer is
    // kicked once it has committed.
    const buffer = transactionLocal(this, () => {
      const rows: typeof row[] = [];
      beforeCommit(this, (t) => this.repo.append(t, rows));
      return rows;
    });
    if (!buffer) {
      await this.repo.append(tx, [row]);
      this.sealer.kick(code);
      return;
    }
    if (!buffer.some((r) => r.municipalityCode === code)) afterCommit(() => this.sealer.kick(code));
    buffer.push(row);
  }

  /** Appends in a transaction of its own, for audited actions that have no other write. */
  record(code: string, rec: AuditRecord): Promise<void> {
    return this.db.tenant({ municipalityCode: code }, (tx) => this.append(tx, code, rec));
  }

  async search(p: StaffPrincipal, code: string, filter: AuditFilter): Promise<AuditEntryView[]> {
    const rows = await this.db.tenant(actFor(p, code, 'audit:read'), (tx) => this.repo.search(tx, code, filter));
    return rows.map(view);
  }

  /**
   * The entries about one resident, newest first (the resident's own access log on My page). The
   * caller has authenticated the resident; this reads only that resident's entries of that municipality.
   */
  async forResident(code: string, residentId: string, limit: number): Promise<AuditEntryView[]> {
    const n = Math.max(1, Math.min(200, Math.floor(limit)));
    const rows = await this.db.tenant({ municipalityCode: code }, (tx) => this.repo.search(tx, code, { residentId, limit: n }));
    return rows.map(view);
  }

  /**
   * How many of the resident's entries of `action` were recorded since `since` (sealed or not), and
   * the oldest of them: for limits that count what a resident did (safety searches per hour).
   */
  countRecent(tx: Tx, code: string, f: { action: string; residentId: string; since: Date }): Promise<{ n: number; first: Date | null }> {
    return this.repo.countSince(tx, code, f);
  }

  /** Staff-facing verification of one chain, through the app role (RLS applies). */
  async verifyFor(p: StaffPrincipal, code: string): Promise<AuditVerdict> {
    return this.db.tenant(actFor(p, code, 'audit:read'), async (tx) => ({
      ...verifyChain(code, await this.repo.chain(tx, code), await this.repo.head(tx, code)),
      ...(await this.pendingOf(tx, code)),
    }));
  }

  /** Operator verification of every chain (the CLI), as the table owner. */
  async verifyAll(): Promise<AuditVerdict[]> {
    const codes = await this.repo.chainCodes(this.db.owner);
    const out: AuditVerdict[] = [];
    for (const code of codes) {
      out.push({ ...verifyChain(code, await this.repo.chain(this.db.owner, code), await this.repo.head(this.db.owner, code)), ...(await this.pendingOf(this.db.owner, code)) });
    }
    return out;
  }

  private async pendingOf(db: Tx | Database['owner'], code: string) {
    const p = await this.repo.pendingCount(db, code);
    return { pending: p.n, oldestPendingAt: p.oldest };
  }
}
