// The shelter registry (open data import and export, single edits), declared disasters, and opening
// and closing shelters with their status history. Other shelter services read shelters and active
// disasters through `shelterIn` and `activeDisasters`.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import { HttpErrors, type FieldError } from '../../kernel/errors.js';
import { actFor, type StaffPrincipal } from '../../kernel/callers.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import { notifyShelterChange } from '../hq/notify.js';
import { orderedHazards, parseSheltersCsv, serializeSheltersCsv, type CsvRowError, type ShelterRecord } from './openData.js';
import * as registryRepository from './repository.js';
import type { DisasterRow, ShelterRow, StatusEventRow } from './repository.js';
import type { ShelterStatus } from '../schema.js';
import type { CsvImportReport, DisasterKind, DisasterView, ShelterStatusEventView, ShelterView } from '../contract.js';

export type { ShelterRow, DisasterRow } from './repository.js';

/** Who acts and for which request: goes into the audit chain and the status history. */
export interface RegistryCaller {
  staff: StaffPrincipal;
  requestId: string;
}

/** POST /api/municipalities/:code/shelters; PATCH takes any subset except localId. */
export type ShelterInput = Omit<ShelterRecord, 'nationalId' | 'nameKana' | 'nameEn' | 'address' | 'latitude' | 'longitude' | 'elevation' | 'phone'
  | 'hazards' | 'alsoEvacuationCentre' | 'kind' | 'capacity' | 'capacityNight' | 'targetArea' | 'url' | 'note'> & Partial<ShelterRecord>;

export interface DisasterInput {
  kind: DisasterKind;
  nameJa: string;
  nameEn?: string;
  area?: string;
}

const OPENING: ReadonlySet<ShelterStatus> = new Set(['open', 'full', 'requested']);
const PUBLIC = { municipalityCode: null } as const;

export function shelterView(r: ShelterRow): ShelterView {
  return {
    id: r.id, municipalityCode: r.municipalityCode, localId: r.localId, nationalId: r.nationalId, nameJa: r.nameJa,
    nameKana: r.nameKana, nameEn: r.nameEn, address: r.address, latitude: r.latitude, longitude: r.longitude,
    elevation: r.elevation, phone: r.phone, hazards: orderedHazards(r.hazards), alsoEvacuationCentre: r.alsoEvacuationCentre,
    kind: r.kind, capacity: r.capacity, capacityNight: r.capacityNight, targetArea: r.targetArea, url: r.url, note: r.note,
    status: r.status, disasterId: r.disasterId, statusChangedAt: r.statusChangedAt.toISOString(),
  };
}

export function disasterView(d: DisasterRow): DisasterView {
  return {
    id: d.id, municipalityCode: d.municipalityCode, kind: d.kind, nameJa: d.nameJa, nameEn: d.nameEn, area: d.area,
    declaredAt: d.declaredAt.toISOString(), declaredBy: d.declaredBy, endedAt: d.endedAt?.toISOString() ?? null,
  };
}

const eventView = (e: StatusEventRow): ShelterStatusEventView => ({
  shelterId: e.shelterId, disasterId: e.disasterId, status: e.status, at: e.at.toISOString(), actor: e.actor,
});

function recordOf(r: ShelterRow): ShelterRecord {
  return {
    localId: r.localId, nationalId: r.nationalId, nameJa: r.nameJa, nameKana: r.nameKana, nameEn: r.nameEn, address: r.address,
    latitude: r.latitude, longitude: r.longitude, elevation: r.elevation, phone: r.phone, hazards: orderedHazards(r.hazards),
    alsoEvacuationCentre: r.alsoEvacuationCentre, kind: r.kind, capacity: r.capacity, capacityNight: r.capacityNight,
    targetArea: r.targetArea, url: r.url, note: r.note,
  };
}

function sameRecord(a: ShelterRecord, b: ShelterRecord): boolean {
  return (Object.keys(a) as (keyof ShelterRecord)[]).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

const fieldErrors = (errors: CsvRowError[], withRow: boolean): FieldError[] =>
  errors.map((e) => ({ path: withRow ? `row ${e.row}: ${e.column}` : e.column, message: `${e.message.ja} / ${e.message.en}` }));

export class ShelterRegistryService {
  constructor(readonly deps: ShelterServiceDeps, private readonly repo: typeof registryRepository = registryRepository) {}

  // ---- used by the other shelter services (inside their transactions) ----

  /** A shelter of any municipality (the registry is open data), or undefined. */
  shelterIn(tx: Tx, shelterId: string): Promise<ShelterRow | undefined> {
    return this.repo.shelterById(tx, shelterId);
  }

  activeDisasters(tx: Tx, code: string): Promise<DisasterRow[]> {
    return this.repo.activeDisasters(tx, code);
  }

  // ---- registry ----

  async list(p: StaffPrincipal, code: string): Promise<ShelterView[]> {
    const rows = await this.deps.db.tenant(actFor(p, code, 'shelter:operate'), (tx) => this.repo.sheltersOf(tx, code));
    return rows.map(shelterView);
  }

  async create(c: RegistryCaller, code: string, input: ShelterInput): Promise<ShelterView> {
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:command'), async (tx) => {
      const record = await this.validated(tx, code, { ...blankRecord(), ...input, localId: input.localId.trim() }, undefined);
      const existing = (await this.repo.sheltersOf(tx, code)).find((s) => s.localId === record.localId);
      if (existing) throw HttpErrors['validation-failed']({}, { errors: [{ path: 'localId', message: `ID「${record.localId}」はすでに登録されています。 / ID "${record.localId}" is already registered.` }] });
      const [row] = await this.repo.insertShelters(tx, [{ municipalityCode: code, ...record }]);
      await this.auditRegistry(tx, code, c, 'shelter.create', `shelter ${record.localId} created`);
      return shelterView(row!);
    });
  }

  async update(c: RegistryCaller, code: string, shelterId: string, patch: Partial<Omit<ShelterRecord, 'localId'>>): Promise<ShelterView> {
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:command'), async (tx) => {
      const current = await this.repo.lockShelter(tx, code, shelterId);
      if (!current) throw ShelterErrors['shelter-not-found']();
      const record = await this.validated(tx, code, { ...recordOf(current), ...patch, localId: current.localId }, current.id);
      if (sameRecord(record, recordOf(current))) return shelterView(current);
      const row = await this.repo.updateShelter(tx, current.id, record);
      await this.auditRegistry(tx, code, c, 'shelter.update', `shelter ${current.localId} updated`);
      // Name, capacity or position changes show on dashboards and the public page.
      await notifyShelterChange(tx, { host: code, home: null, shelterId: row.id });
      return shelterView(row);
    });
  }

  async importCsv(c: RegistryCaller, code: string, text: string, opts: { dryRun: boolean }): Promise<CsvImportReport> {
    actFor(c.staff, code, 'shelter:command');
    return this.importAs(code, text, { actor: `staff:${c.staff.loginName}`, requestId: c.requestId, dryRun: opts.dryRun });
  }

  /**
   * The import without a staff principal (the demo seed, the CLI): all rows validated first; any
   * error and nothing is written. Upserts by (municipality, ID). One audit entry per import.
   */
  async importAs(code: string, text: string, opts: { actor: string; requestId: string; dryRun: boolean }): Promise<CsvImportReport> {
    return this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      await this.deps.municipalities.get(code, tx);
      // One import per municipality at a time: two concurrent imports of the same new IDs would otherwise
      // race to the unique index; the second waits and then sees the first one's rows as unchanged.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`kazashi.shelter.import:${code}`}))`);
      const parsed = parseSheltersCsv(text, { municipalityCode: code });
      const errors = [...parsed.errors];
      const existing = new Map((await this.repo.sheltersOf(tx, code)).map((s) => [s.localId, s]));
      // National IDs are unique nationwide: one held by another shelter is an error in this row.
      const owners = await this.repo.nationalIdOwners(tx, parsed.rows.flatMap((r) => (r.record.nationalId ? [r.record.nationalId] : [])));
      for (const { row, record } of parsed.rows) {
        const owner = owners.find((o) => o.nationalId === record.nationalId);
        // Moving an ID between two of our own shelters in the same file is fine (the file gives the other a new one).
        const releasedHere = owner?.municipalityCode === code
          && parsed.rows.some((r) => r.record.localId === owner.localId && r.record.nationalId !== owner.nationalId);
        if (owner && !releasedHere && (owner.municipalityCode !== code || owner.localId !== record.localId)) {
          errors.push({ row, column: '全国避難所ID', message: {
            ja: `全国避難所ID「${record.nationalId}」は別の避難所（${owner.municipalityCode} ID ${owner.localId}）で使われています。`,
            en: `National shelter ID "${record.nationalId}" is used by another shelter (${owner.municipalityCode} ID ${owner.localId}).`,
          } });
        }
      }
      if (errors.length) {
        errors.sort((a, b) => a.row - b.row);
        throw ShelterErrors['csv-invalid']({ count: errors.length }, { errors: fieldErrors(errors, true) });
      }
      const report: CsvImportReport = { created: 0, updated: 0, unchanged: 0, errors: [], dryRun: opts.dryRun };
      const inserts: registryRepository.ShelterInsert[] = [];
      const updates: { id: string; record: ShelterRecord }[] = [];
      for (const { record } of parsed.rows) {
        const current = existing.get(record.localId);
        if (!current) inserts.push({ municipalityCode: code, ...record });
        else if (sameRecord(record, recordOf(current))) report.unchanged++;
        else updates.push({ id: current.id, record });
      }
      report.created = inserts.length;
      report.updated = updates.length;
      if (opts.dryRun) return report;
      // Clear moved national IDs first, so swapping them between two shelters does not hit the unique index.
      for (const u of updates) {
        if (u.record.nationalId !== existing.get(u.record.localId)!.nationalId) await this.repo.updateShelter(tx, u.id, { nationalId: null });
      }
      for (const u of updates) await this.repo.updateShelter(tx, u.id, u.record);
      await this.repo.insertShelters(tx, inserts);
      await this.deps.audit.append(tx, code, {
        actor: opts.actor, action: 'shelter.import', purpose: `shelter registry CSV import: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`,
        categories: [], fields: [], requestId: opts.requestId,
      });
      for (const u of updates) await notifyShelterChange(tx, { host: code, home: null, shelterId: u.id });
      return report;
    });
  }

  /** The public open data CSV (no login): every shelter of the municipality, by ID. */
  async exportCsv(code: string): Promise<string> {
    return this.deps.db.tenant(PUBLIC, async (tx) => {
      const m = await this.deps.municipalities.get(code, tx);
      const rows = await this.repo.sheltersOf(tx, code);
      return serializeSheltersCsv({ code, nameJa: m.nameJa }, rows.map(recordOf));
    });
  }

  // ---- disasters ----

  async disasters(p: StaffPrincipal, code: string): Promise<DisasterView[]> {
    const rows = await this.deps.db.tenant(actFor(p, code, 'shelter:operate'), (tx) => this.repo.disastersOf(tx, code));
    return rows.map(disasterView);
  }

  async declareDisaster(c: RegistryCaller, code: string, input: DisasterInput): Promise<DisasterView> {
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:command'), async (tx) => {
      const row = await this.repo.insertDisaster(tx, {
        municipalityCode: code, kind: input.kind, nameJa: input.nameJa.trim(), nameEn: input.nameEn?.trim() ?? '',
        area: input.area?.trim() ?? '', declaredBy: c.staff.loginName,
      });
      await this.auditRegistry(tx, code, c, 'disaster.declare', `disaster declared: ${row.id}`);
      return disasterView(row);
    });
  }

  /** Ends a disaster and closes every shelter still open for it (each with a status event). */
  async endDisaster(c: RegistryCaller, code: string, disasterId: string): Promise<DisasterView> {
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:command'), async (tx) => {
      const d = await this.repo.disasterById(tx, code, disasterId, true);
      if (!d) throw ShelterErrors['disaster-not-found']();
      if (d.endedAt) throw ShelterErrors['disaster-ended']();
      const at = new Date();
      for (const s of await this.repo.sheltersOpenFor(tx, code, disasterId)) {
        await this.changeStatus(tx, code, s, 'closed', null, disasterId, c.staff.loginName, at);
      }
      const ended = await this.repo.endDisaster(tx, disasterId, at);
      await this.auditRegistry(tx, code, c, 'disaster.end', `disaster ended: ${disasterId}`);
      return disasterView(ended);
    });
  }

  // ---- opening and closing ----

  async setStatus(c: RegistryCaller, code: string, shelterId: string, input: { status: ShelterStatus; disasterId?: string }): Promise<ShelterView> {
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:command'), async (tx) => {
      const s = await this.repo.lockShelter(tx, code, shelterId);
      if (!s) throw ShelterErrors['shelter-not-found']();
      if (!OPENING.has(input.status)) {
        if (s.status === 'closed') throw ShelterErrors['status-unchanged']({ status: input.status });
        return shelterView(await this.changeStatus(tx, code, s, 'closed', null, s.disasterId, c.staff.loginName, new Date()));
      }
      const disasterId = await this.disasterFor(tx, code, s, input.disasterId);
      if (s.status === input.status && s.disasterId === disasterId) throw ShelterErrors['status-unchanged']({ status: input.status });
      return shelterView(await this.changeStatus(tx, code, s, input.status, disasterId, disasterId, c.staff.loginName, new Date()));
    });
  }

  async statusHistory(p: StaffPrincipal, code: string, shelterId: string, disasterId?: string): Promise<ShelterStatusEventView[]> {
    return this.deps.db.tenant(actFor(p, code, 'shelter:operate'), async (tx) => {
      const s = await this.repo.shelterById(tx, shelterId);
      if (!s || s.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
      return (await this.repo.statusHistory(tx, code, shelterId, disasterId)).map(eventView);
    });
  }

  /**
   * The disaster a shelter opens for: the one named (active, this municipality's), else the one it is
   * already open for, else the only active one. Several active and none named: HQ must choose.
   */
  private async disasterFor(tx: Tx, code: string, s: ShelterRow, named: string | undefined): Promise<string> {
    if (named) {
      const d = await this.repo.disasterById(tx, code, named);
      if (!d) throw ShelterErrors['disaster-not-found']();
      if (d.endedAt) throw ShelterErrors['disaster-ended']();
      return d.id;
    }
    const active = await this.repo.activeDisasters(tx, code);
    if (s.disasterId && active.some((d) => d.id === s.disasterId)) return s.disasterId;
    if (active.length === 1) return active[0]!.id;
    throw ShelterErrors['disaster-required']();
  }

  private async changeStatus(tx: Tx, code: string, s: ShelterRow, status: ShelterStatus, disasterId: string | null,
    eventDisasterId: string | null, actor: string, at: Date): Promise<ShelterRow> {
    const row = await this.repo.setStatus(tx, s.id, status, disasterId, at);
    await this.repo.insertStatusEvent(tx, { municipalityCode: code, shelterId: s.id, disasterId: eventDisasterId, status, at, actor });
    await notifyShelterChange(tx, { host: code, home: null, shelterId: s.id });
    return row;
  }

  /** Validates a single shelter with the same rules as the CSV import (one code path for both). */
  private async validated(tx: Tx, code: string, record: ShelterRecord, selfId: string | undefined): Promise<ShelterRecord> {
    const parsed = parseSheltersCsv(serializeSheltersCsv({ code, nameJa: '' }, [record]), { municipalityCode: code });
    if (parsed.errors.length || !parsed.rows[0]) throw HttpErrors['validation-failed']({}, { errors: fieldErrors(parsed.errors, false) });
    const clean = parsed.rows[0].record;
    if (clean.nationalId) {
      const [owner] = await this.repo.nationalIdOwners(tx, [clean.nationalId]);
      if (owner && !(owner.municipalityCode === code && owner.localId === clean.localId && selfId !== undefined)) {
        throw HttpErrors['validation-failed']({}, { errors: [{ path: '全国避難所ID', message: `全国避難所ID「${clean.nationalId}」は別の避難所で使われています。 / National shelter ID "${clean.nationalId}" is used by another shelter.` }] });
      }
    }
    return clean;
  }

  private async auditRegistry(tx: Tx, code: string, c: RegistryCaller, action: string, purpose: string): Promise<void> {
    await this.deps.audit.append(tx, code, { actor: `staff:${c.staff.loginName}`, action, purpose, categories: [], fields: [], requestId: c.requestId });
  }
}

function blankRecord(): Omit<ShelterRecord, 'localId' | 'nameJa'> {
  return {
    nationalId: null, nameKana: '', nameEn: '', address: '', latitude: null, longitude: null, elevation: null, phone: '',
    hazards: [], alsoEvacuationCentre: false, kind: 'general', capacity: null, capacityNight: null, targetArea: '', url: '', note: '',
  };
}
