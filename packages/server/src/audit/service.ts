import type { Database, Tx } from '../db/engine.js';
import { actFor, type StaffPrincipal } from '../staff/principal.js';
import { canonicalEntry, verifyChain, type ChainFields, type ChainVerdict } from './chain.js';
import { auditRepository as repo, type AuditFilter, type AuditRow } from './repository.js';

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

/** An entry as staff see it: the chained fields, the time as ISO text and the entry's own hash. */
export type AuditEntryView = Omit<ChainFields, 'municipalityCode' | 'at' | 'prevHash'> & { at: string; hash: string };

const view = (r: AuditRow): AuditEntryView => ({
  seq: r.seq, at: r.at.toISOString(), actor: r.actor, action: r.action, residentId: r.residentId, purpose: r.purpose,
  categories: r.categories, fields: r.fields, requestId: r.requestId, hash: r.hash,
});

export class AuditService {
  constructor(private readonly db: Database) {}

  /**
   * Appends one entry inside the caller's transaction (acting for `code`), so the entry commits
   * exactly when the access it records does.
   */
  async append(tx: Tx, code: string, rec: AuditRecord): Promise<AuditEntryView> {
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
    const placed = await repo.append(tx, entry, canonicalEntry(entry));
    return view({ ...entry, ...placed });
  }

  /** Appends in a transaction of its own, for audited actions that have no other write. */
  record(code: string, rec: AuditRecord): Promise<AuditEntryView> {
    return this.db.tenant({ municipalityCode: code }, (tx) => this.append(tx, code, rec));
  }

  async search(p: StaffPrincipal, code: string, filter: AuditFilter): Promise<AuditEntryView[]> {
    const rows = await this.db.tenant(actFor(p, code, 'audit:read'), (tx) => repo.search(tx, code, filter));
    return rows.map(view);
  }

  /**
   * The entries about one resident, newest first (the resident's own access log on My page). The
   * caller has authenticated the resident; this reads only that resident's entries of that municipality.
   */
  async forResident(code: string, residentId: string, limit: number): Promise<AuditEntryView[]> {
    const n = Math.max(1, Math.min(200, Math.floor(limit)));
    const rows = await this.db.tenant({ municipalityCode: code }, (tx) => repo.search(tx, code, { residentId, limit: n }));
    return rows.map(view);
  }

  /** Staff-facing verification of one chain, through the app role (RLS applies). */
  async verifyFor(p: StaffPrincipal, code: string): Promise<ChainVerdict> {
    return this.db.tenant(actFor(p, code, 'audit:read'), async (tx) =>
      verifyChain(code, await repo.chain(tx, code), await repo.head(tx, code)));
  }

  /** Operator verification of every chain (the CLI), as the table owner. */
  async verifyAll(): Promise<ChainVerdict[]> {
    const codes = await repo.chainCodes(this.db.owner);
    const out: ChainVerdict[] = [];
    for (const code of codes) {
      out.push(verifyChain(code, await repo.chain(this.db.owner, code), await repo.head(this.db.owner, code)));
    }
    return out;
  }
}
