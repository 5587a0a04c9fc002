import crypto from 'node:crypto';
import type { Database, Tx } from '../kernel/db/engine.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import { actFor, type StaffPrincipal } from '../kernel/callers.js';
import type { PersonalData, VaultService } from '../vault/index.js';
import { categoryFields, type DataCategory } from '../kernel/dataCategories.js';
import type { PersonalDataView, PersonalDataWritten, ResidentView } from './contract.js';
import { ResidentErrors } from './errors.js';
import { globalResidentId, newResidentNumber, parseResidentNumber } from './number.js';
import { residentRepository, type ResidentRow } from './repository.js';

const view = (r: ResidentRow): ResidentView => ({
  id: r.id, municipalityCode: r.municipalityCode, residentNumber: r.residentNumber,
  globalId: r.residentNumber ? globalResidentId(r.municipalityCode, r.residentNumber) : null, categories: r.categories, status: r.status, createdAt: r.createdAt.toISOString(),
});

/** Who acts on a resident's personal data and why; `actor` is `staff:<login>` or a system name. */
export interface PersonalDataAccess {
  actor: string;
  purpose: string;
  requestId: string;
}

function assertFields(category: DataCategory, data: PersonalData) {
  const allowed = categoryFields(category) ?? [];
  const unknown = Object.keys(data).find((f) => !allowed.includes(f));
  if (unknown) throw ResidentErrors['unknown-personal-field']({ category, field: unknown });
}

/**
 * Residents as the platform knows them (pseudonymous ids) and, through the vault, their personal data.
 */
export class ResidentService {
  constructor(private readonly db: Database, private readonly vault: VaultService, private readonly repo: typeof residentRepository = residentRepository) {}

  async list(p: StaffPrincipal, code: string, limit = 200): Promise<ResidentView[]> {
    assertMunicipalityCode(code);
    return (await this.db.tenant(actFor(p, code, 'resident:list'), (tx) => this.repo.list(tx, code, limit))).map(view);
  }

  /** Registers a resident: the id and category names in the platform DB, the values in the vault, in one transaction. */
  async register(code: string, personal: Partial<Record<DataCategory, PersonalData>>, access: PersonalDataAccess, p?: StaffPrincipal): Promise<ResidentView> {
    assertMunicipalityCode(code);
    const entries = Object.entries(personal) as [DataCategory, PersonalData][];
    for (const [category, data] of entries) assertFields(category, data);
    const ctx = p ? actFor(p, code, 'personal:write') : { municipalityCode: code };
    return this.db.tenant(ctx, (tx) => this.registerIn(tx, code, personal, access));
  }

  /**
   * Registers a resident inside the caller's transaction (acting for `code`): a fresh random
   * resident number (drawn again on a collision), the category names here, the values in the vault.
   */
  async registerIn(tx: Tx, code: string, personal: Partial<Record<DataCategory, PersonalData>>, access: PersonalDataAccess): Promise<ResidentView> {
    const entries = Object.entries(personal) as [DataCategory, PersonalData][];
    for (const [category, data] of entries) assertFields(category, data);
    let row: ResidentRow | undefined;
    // 100,000 numbers per municipality: a collision is rare until it fills up; give up rather than loop forever.
    for (let attempt = 0; !row && attempt < 20; attempt++) {
      row = await this.repo.insert(tx, { id: crypto.randomUUID(), municipalityCode: code, residentNumber: newResidentNumber(), categories: entries.map(([c]) => c).sort() });
    }
    if (!row) throw ResidentErrors['resident-number-exhausted']();
    for (const [category, data] of entries) {
      await this.vault.put({ municipalityCode: code, ...access }, row.id, category, data, { tx });
    }
    return view(row);
  }

  /** Looks a resident up by the number a person typed; a typo is `resident-number-invalid`, checked before any query. */
  async findByNumber(p: StaffPrincipal, code: string, typed: string): Promise<ResidentView> {
    assertMunicipalityCode(code);
    const ctx = actFor(p, code, 'resident:list');
    const number = parseResidentNumber(typed);
    const r = await this.db.tenant(ctx, (tx) => this.repo.getByNumber(tx, code, number));
    if (!r) throw ResidentErrors['resident-not-found']();
    return view(r);
  }

  /** The resident row as a view, inside the caller's transaction (for other domains' services). */
  async getIn(tx: Tx, id: string): Promise<ResidentView | undefined> {
    const r = await this.repo.get(tx, id);
    return r ? view(r) : undefined;
  }

  private async existing(tx: Tx, id: string): Promise<ResidentRow> {
    const r = await this.repo.get(tx, id);
    if (!r) throw ResidentErrors['resident-not-found']();
    return r;
  }

  async readPersonal(p: StaffPrincipal, code: string, id: string, category: DataCategory, access: PersonalDataAccess): Promise<PersonalDataView> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(p, code, 'personal:read'), async (tx) => {
      await this.existing(tx, id);
      return { residentId: id, category, data: await this.vault.get({ municipalityCode: code, ...access }, id, category, { tx }) };
    });
  }

  async writePersonal(p: StaffPrincipal, code: string, id: string, category: DataCategory, data: PersonalData, access: PersonalDataAccess): Promise<PersonalDataWritten> {
    assertMunicipalityCode(code);
    assertFields(category, data);
    return this.db.tenant(actFor(p, code, 'personal:write'), async (tx) => {
      const r = await this.existing(tx, id);
      await this.vault.put({ municipalityCode: code, ...access }, id, category, data, { tx });
      await this.repo.setCategories(tx, id, [...new Set([...r.categories, category])].sort());
      return { residentId: id, category };
    });
  }
}
