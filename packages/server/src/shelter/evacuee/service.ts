// Evacuees (避難者): pre-registered households, registered residents known from their card, walk-ins.
// The platform DB holds pseudonymous rows with coarse flags; names and details live in the vault
// (category `evacuee`) of the municipality that registered the person.
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import { HttpErrors } from '../../kernel/errors.js';
import type { ResidentPrincipal } from '../../kernel/residentCaller.js';
import { actFor, can, type StaffPrincipal } from '../../kernel/callers.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import { evacueeRepository, type EvacueeRow } from './repository.js';
import { notifyShelterChange } from '../hq/notify.js';
import { shelter } from '../schema.js';
import { searchKeys } from './searchKeys.js';
import type { EvacueeDetailView, EvacueePatch, Need, PreRegistration, PreRegisteredMember, SafetySearchRequest, SafetySearchResult, Sex, StayPlace, WalkInInput } from '../contract.js';

/** Staff view of one evacuee: the pseudonymous row, their live stay and (own municipality) vault details. */
const SAFETY_SEARCH = 'shelter.safety-search';

/** Coarse flags from what the resident wrote; the details stay in the vault. */
function derivedNeeds(m: PreRegisteredMember, pets: string | null): Need[] {
  const out: Need[] = [];
  if (m.allergies.trim()) out.push('allergy');
  if (m.medication.trim()) out.push('medication');
  if (m.care.trim()) out.push('care');
  if (m.disability.trim()) out.push('disability');
  if (m.pregnancy) out.push('pregnancy');
  if (m.infant) out.push('infant');
  if (pets?.trim()) out.push('pet');
  return out;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
/** A Postgres text[] literal; only for values that cannot hold commas, quotes or braces (hashes, codes). */
const pgArray = (xs: string[]) => `{${xs.join(',')}}`;

export type { EvacueeRow } from './repository.js';

/** The card's sex item (as typed or read) to the coarse flag kept beside the evacuee. */
export function sexFlag(v: string | undefined | null): 'male' | 'female' | 'other' | null {
  if (!v) return null;
  const s = v.trim().toLowerCase();
  if (s === 'male' || s === '男' || s === '男性' || s === '1') return 'male';
  if (s === 'female' || s === '女' || s === '女性' || s === '2') return 'female';
  return 'other';
}

export class EvacueeService {
  constructor(readonly deps: ShelterServiceDeps, private readonly repo: typeof evacueeRepository = evacueeRepository) {}

  /** Live rows (not removed) of the resident's household in tx's municipality, self first; [] if none. */
  householdOfResident(tx: Tx, residentId: string): Promise<EvacueeRow[]> {
    return this.repo.householdOfResident(tx, residentId);
  }

  /**
   * A registered resident without pre-registration: the self record (id = resident id) from the
   * vault's `basic` category, so the card alone is enough to check in. Returns the household.
   */
  async ensureResidentEvacuee(tx: Tx, code: string, residentId: string, by: { actor: string; requestId: string }): Promise<EvacueeRow[]> {
    const existing = await this.repo.householdOfResident(tx, residentId);
    if (existing.length) return existing;
    const access = { municipalityCode: code, actor: by.actor, purpose: 'shelter check-in of a registered resident', requestId: by.requestId };
    // The card alone must be enough to check in: without the basic items (none stored, or the vault
    // out of reach during a disaster) the record is made without search keys or a name copy.
    const basic = await this.deps.vault.get(access, residentId, 'basic', { tx }).catch(() => ({} as Record<string, string>));
    const keys = searchKeys(this.deps.secret, [basic.nameKanji, basic.nameKana], basic.birthDate);
    const { row, created } = await this.repo.insertOnce(tx, {
      id: residentId, municipalityCode: code, householdId: residentId, residentId, isResident: true, source: 'registered-resident',
      sex: sexFlag(basic.sex), searchKeys: keys,
    });
    if (created && (basic.nameKanji || basic.birthDate)) {
      await this.deps.vault.put(access, residentId, 'evacuee', {
        nameKanji: basic.nameKanji ?? '', nameKana: basic.nameKana ?? '', birthDate: basic.birthDate ?? '', sex: basic.sex ?? '',
      }, { tx });
    }
    return row.removedAt ? [] : this.repo.householdOfResident(tx, residentId);
  }

  /** The household of a walk-in card registered earlier in tx's municipality. */
  async householdOfCard(tx: Tx, cardKey: string): Promise<EvacueeRow[]> {
    const r = await this.repo.byCard(tx, cardKey);
    return r ? this.repo.household(tx, r.householdId) : [];
  }

  /** The household of a blank intake card (受付カード) handed out earlier in tx's municipality. */
  async householdOfIntakeCode(tx: Tx, intakeCode: string): Promise<EvacueeRow[]> {
    const r = await this.repo.byIntakeCode(tx, intakeCode);
    return r ? this.repo.household(tx, r.householdId) : [];
  }

  /** Rows by id, as RLS lets tx see them (own, or a consenting joint-use partner's). */
  byIds(tx: Tx, ids: string[]): Promise<EvacueeRow[]> {
    return this.repo.byIds(tx, [...new Set(ids)]);
  }

  /**
   * A person registered on the spot. Idempotent on evacueeId (an offline kiosk's retry returns the
   * existing row and writes nothing); details go to the vault in the same transaction.
   */
  async createWalkIn(tx: Tx, code: string, input: WalkInInput, opts: { evacueeId: string; cardKey: string | null; actor: string; requestId: string }): Promise<EvacueeRow> {
    const prior = await this.repo.get(tx, opts.evacueeId);
    if (prior) return prior;
    // Joining a household: one this municipality registered (a partner's is not ours to extend).
    if (input.householdId && (await this.repo.household(tx, input.householdId)).length === 0) throw ShelterErrors['household-not-found']();
    const { row, created } = await this.repo.insertOnce(tx, {
      id: opts.evacueeId, municipalityCode: code, householdId: input.householdId ?? crypto.randomUUID(), source: input.source,
      cardKey: opts.cardKey, intakeCode: input.intakeCode ?? null, needs: [...new Set(input.needs ?? [])], language: input.language || null,
      sex: input.sex ?? null, consentInquiry: input.consentInquiry ?? false, searchKeys: searchKeys(this.deps.secret, [input.nameKanji, input.nameKana], input.birthDate),
    });
    if (created) {
      await this.deps.vault.put({ municipalityCode: code, actor: opts.actor, purpose: `shelter walk-in registration (${input.source})`, requestId: opts.requestId }, row.id, 'evacuee', {
        nameKanji: input.nameKanji, nameKana: input.nameKana ?? '', birthDate: input.birthDate ?? '', sex: input.sex ?? '',
        phone: input.phone ?? '', notes: [input.address ? `住所: ${input.address}` : '', input.notes ?? ''].filter(Boolean).join('\n'),
      }, { tx });
    }
    return row;
  }

  /**
   * Names the viewer may see: own rows, or a partner's rows with consent to joint use. Outside any
   * transaction: one per owning municipality, so each vault read is audited in the owner's chain.
   */
  async names(viewerCode: string, rows: EvacueeRow[], access: { actor: string; purpose: string; requestId: string }): Promise<Map<string, { nameKanji: string; nameKana: string }>> {
    const out = new Map<string, { nameKanji: string; nameKana: string }>();
    const byOwner = new Map<string, string[]>();
    for (const r of rows) {
      if (r.municipalityCode !== viewerCode && !r.consentJointUse) continue;
      byOwner.set(r.municipalityCode, [...(byOwner.get(r.municipalityCode) ?? []), r.id]);
    }
    for (const [owner, ids] of byOwner) {
      await this.deps.db.tenant({ municipalityCode: owner }, async (tx) => {
        if (owner !== viewerCode) {
          const res = (await tx.execute(sql`select kazashi_shelter_partners(${owner}, ${viewerCode}) as ok`)) as unknown as { rows: { ok: boolean }[] };
          if (res.rows[0]?.ok !== true) return;
        }
        const found = await this.deps.vault.find({ municipalityCode: owner, ...access, actor: owner === viewerCode ? access.actor : `${access.actor}@${viewerCode}` },
          { category: 'evacuee', residentIds: ids, fields: ['nameKanji', 'nameKana'] }, { tx });
        for (const f of found) out.set(f.residentId, { nameKanji: f.data.nameKanji ?? '', nameKana: f.data.nameKana ?? '' });
      });
    }
    return out;
  }

  // ─── Resident portal: pre-registration ───────────────────────────────────────────────────

  /** The resident's pre-registered household, details from the vault (each read audited). */
  async preRegistration(p: ResidentPrincipal, requestId: string): Promise<PreRegistration> {
    const code = p.municipalityCode;
    return this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      const rows = await this.repo.householdOfResident(tx, p.residentId);
      const self = rows.find((r) => r.id === p.residentId);
      if (!self || self.source !== 'pre-registration') throw ShelterErrors['pre-registration-not-found']();
      const access = { municipalityCode: code, actor: 'resident:self', purpose: 'shelter pre-registration (own view)', requestId };
      const found = await this.deps.vault.find(access, { category: 'evacuee', residentIds: rows.map((r) => r.id) }, { tx });
      const data = new Map(found.map((f) => [f.residentId, f.data as Record<string, string>]));
      const mine = data.get(self.id) ?? {};
      return {
        phone: mine.phone ?? '', pets: mine.pets ?? '', consentInquiry: self.consentInquiry, consentJointUse: self.consentJointUse,
        members: rows.map((r): PreRegisteredMember => {
          const d = data.get(r.id) ?? {};
          return {
            evacueeId: r.id, self: r.id === p.residentId, nameKanji: d.nameKanji ?? '', nameKana: d.nameKana ?? '', birthDate: d.birthDate ?? '',
            sex: (['male', 'female', 'other'].includes(d.sex ?? '') ? d.sex : (r.sex ?? '')) as Sex | '',
            allergies: d.allergies ?? '', medication: d.medication ?? '', care: d.care ?? '', disability: d.disability ?? '',
            pregnancy: r.needs.includes('pregnancy'), infant: r.needs.includes('infant'), language: r.language ?? '', notes: d.notes ?? '',
          };
        }),
        updatedAt: new Date(Math.max(...rows.map((r) => r.updatedAt.getTime()))).toISOString(),
      };
    });
  }

  /**
   * Replaces the resident's household: the self record is the resident id, kept members keep their
   * id, new ones get one, missing ones are marked removed. Live stays get the new coarse flags.
   */
  async savePreRegistration(p: ResidentPrincipal, input: PreRegistration, requestId: string): Promise<PreRegistration> {
    const code = p.municipalityCode;
    const selfIdx = Math.max(0, input.members.findIndex((m) => m.self));
    const partnerStays: { host: string; stayId: string; shelterId: string | null; copy: { needs: string[]; sex: string | null; language: string | null } }[] = [];
    await this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      const existing = new Map((await this.repo.allOfResident(tx, p.residentId)).map((r) => [r.id, r]));
      const householdId = existing.get(p.residentId)?.householdId ?? p.residentId;
      const access = { municipalityCode: code, actor: 'resident:self', purpose: 'shelter pre-registration', requestId };
      const kept = new Set<string>();
      const changed = new Map<string, { needs: string[]; sex: string | null; language: string | null }>();
      for (const [i, m] of input.members.entries()) {
        const isSelf = i === selfIdx;
        // Only ids of this household are kept: a client cannot take over someone else's record.
        const id = isSelf ? p.residentId : (m.evacueeId && m.evacueeId !== p.residentId && existing.has(m.evacueeId) && !kept.has(m.evacueeId) ? m.evacueeId : crypto.randomUUID());
        kept.add(id);
        const fields = {
          householdId, residentId: p.residentId, isResident: isSelf, source: 'pre-registration' as const,
          needs: derivedNeeds(m, isSelf ? input.pets : null), language: m.language.trim() || null, sex: m.sex || null,
          consentInquiry: input.consentInquiry, consentJointUse: input.consentJointUse,
          searchKeys: searchKeys(this.deps.secret, [m.nameKanji, m.nameKana], m.birthDate), removedAt: null,
        };
        const prior = existing.get(id);
        if (prior) {
          await this.repo.update(tx, id, fields);
          if (!sameSet(prior.needs, fields.needs) || prior.sex !== fields.sex || prior.language !== fields.language) {
            changed.set(id, { needs: fields.needs, sex: fields.sex, language: fields.language });
          }
        } else {
          await this.repo.insertOnce(tx, { id, municipalityCode: code, ...fields });
        }
        // Merge: the car of an outside-stay report lives in the same record.
        const current = prior ? (await this.deps.vault.getIfAny(access, id, 'evacuee', { tx })) ?? {} : {};
        await this.deps.vault.put(access, id, 'evacuee', {
          ...current, nameKanji: m.nameKanji, nameKana: m.nameKana, birthDate: m.birthDate, sex: m.sex,
          allergies: m.allergies, medication: m.medication, care: m.care, disability: m.disability, notes: m.notes,
          ...(isSelf ? { phone: input.phone, pets: input.pets } : {}),
        }, { tx });
      }
      const now = new Date();
      for (const r of existing.values()) if (!kept.has(r.id) && !r.removedAt) await this.repo.update(tx, r.id, { removedAt: now });
      if (changed.size) {
        for (const s of await this.repo.liveStays(tx, [...changed.keys()])) {
          const copy = changed.get(s.evacueeId)!;
          if (s.municipalityCode === code) {
            await this.repo.updateStayCopies(tx, s.id, copy);
            await notifyShelterChange(tx, { host: code, home: code, shelterId: s.shelterId });
          } else partnerStays.push({ host: s.municipalityCode, stayId: s.id, shelterId: s.shelterId, copy });
        }
      }
    });
    // A stay at a partner's shelter is written only by its host (RLS): one transaction in the host's name.
    for (const s of partnerStays) {
      await this.deps.db.tenant({ municipalityCode: s.host }, async (tx) => {
        if (await this.repo.updateStayCopies(tx, s.stayId, s.copy)) await notifyShelterChange(tx, { host: s.host, home: code, shelterId: s.shelterId });
      });
    }
    return this.preRegistration(p, requestId);
  }

  // ─── Resident portal: safety search (安否確認) ─────────────────────────────────────────────

  /**
   * Where a relative is, if they consented and are not protected: only the place and since when.
   * Not found, not consented and DV-protected give the same answer. Rate-limited per resident.
   */
  async safetySearch(p: ResidentPrincipal, input: SafetySearchRequest, requestId: string): Promise<SafetySearchResult> {
    const code = p.municipalityCode;
    const limit = this.deps.config.safetySearchPerHour;
    const answeredElsewhere: { code: string; residentId: string | null }[] = [];
    const result = await this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      const since = new Date(Date.now() - 3_600_000);
      const used = await this.deps.audit.countRecent(tx, code, { action: SAFETY_SEARCH, residentId: p.residentId, since });
      if (used.n >= limit) {
        const oldest = used.first ? new Date(used.first).getTime() : Date.now();
        throw ShelterErrors['safety-search-rate-limited']({ minutes: Math.max(1, Math.ceil((oldest + 3_600_000 - Date.now()) / 60_000)) });
      }
      const keys = searchKeys(this.deps.secret, [input.name], input.birthDate);
      const codes = [code];
      for (const partner of await this.deps.municipalities.jointUsePartners(code, tx)) {
        const ok = (await tx.execute(sql`select kazashi_shelter_partners(${code}, ${partner}) as ok`)) as unknown as { rows: { ok: boolean }[] };
        if (ok.rows[0]?.ok === true) codes.push(partner);
      }
      const hits = keys.length
        ? ((await tx.execute(sql`select * from kazashi_safety_search(${pgArray(keys)}::text[], ${pgArray(codes)}::text[])`)) as unknown as {
            rows: { municipality_code: string; place: StayPlace; shelter_id: string | null; shelter_name_ja: string | null; shelter_name_en: string | null; since: Date | string;
              evacuee_municipality_code: string; evacuee_resident_id: string | null }[];
          }).rows
        : [];
      const names = new Map<string, { ja: string; en: string }>();
      for (const c of new Set(hits.map((h) => h.municipality_code))) {
        const m = await this.deps.municipalities.get(c, tx).catch(() => undefined);
        names.set(c, { ja: m?.nameJa ?? c, en: m?.nameEn ?? c });
      }
      // The searcher's chain: who searched and how many hits, never the name searched for.
      await this.deps.audit.append(tx, code, {
        actor: 'resident:self', action: SAFETY_SEARCH, residentId: p.residentId, purpose: `safety search (${hits.length} hit(s))`,
        categories: [], fields: [], requestId,
      });
      // The found person's chain (their "who used my information"): an inquirer was told where they are.
      for (const h of hits.filter((x) => x.evacuee_municipality_code === code)) {
        await this.deps.audit.append(tx, code, {
          actor: `resident:${code}`, action: 'shelter.safety-search.answered', residentId: h.evacuee_resident_id,
          purpose: 'safety search answered: your shelter was told to an inquirer (consent to tell relatives)', categories: [], fields: [], requestId,
        });
      }
      const others = hits.filter((x) => x.evacuee_municipality_code !== code);
      if (others.length) answeredElsewhere.push(...others.map((h) => ({ code: h.evacuee_municipality_code, residentId: h.evacuee_resident_id })));
      return {
        found: hits.map((h) => ({
          municipalityCode: h.municipality_code, municipalityName: names.get(h.municipality_code)!, place: h.place,
          shelterName: h.shelter_id ? { ja: h.shelter_name_ja ?? '', en: h.shelter_name_en ?? '' } : null,
          since: new Date(h.since).toISOString(),
        })),
        remaining: Math.max(0, limit - used.n - 1),
      };
    });
    // A partner's evacuee: recorded in their own municipality's chain, acting for it.
    for (const a of answeredElsewhere) {
      await this.deps.db.tenant({ municipalityCode: a.code }, (tx) => this.deps.audit.append(tx, a.code, {
        actor: `resident:${code}`, action: 'shelter.safety-search.answered', residentId: a.residentId,
        purpose: 'safety search answered: your shelter was told to an inquirer (consent to tell relatives)', categories: [], fields: [], requestId,
      }));
    }
    return result;
  }

  // ─── Staff ───────────────────────────────────────────────────────────────────────────────

  /** One evacuee for shelter staff; details from the vault when the person is this municipality's (audited). */
  async detail(staff: StaffPrincipal, code: string, evacueeId: string, requestId: string): Promise<EvacueeDetailView> {
    const ctx = actFor(staff, code, 'shelter:operate');
    const actor = `staff:${staff.loginName}`;
    const row = await this.deps.db.tenant(ctx, (tx) => this.repo.get(tx, evacueeId));
    if (!row || row.removedAt) throw ShelterErrors['evacuee-not-found']();
    return this.detailOf(code, row, actor, requestId);
  }

  private async detailOf(code: string, row: EvacueeRow, actor: string, requestId: string): Promise<EvacueeDetailView> {
    let details: Record<string, string> | null = null;
    if (row.municipalityCode === code) {
      details = await this.deps.db.tenant({ municipalityCode: code }, (tx) =>
        this.deps.vault.get({ municipalityCode: code, actor, purpose: 'shelter evacuee details', requestId }, row.id, 'evacuee', { tx }).catch(() => ({})));
    }
    const names = details
      ? new Map([[row.id, { nameKanji: details.nameKanji ?? '', nameKana: details.nameKana ?? '' }]])
      : await this.names(code, [row], { actor, purpose: 'shelter evacuee details', requestId });
    const stay = await this.deps.db.tenant({ municipalityCode: row.municipalityCode }, async (tx) => {
      const [s] = await this.repo.liveStays(tx, [row.id]);
      if (!s) return null;
      const [sh] = s.shelterId ? await tx.select({ nameJa: shelter.nameJa, nameEn: shelter.nameEn }).from(shelter).where(eq(shelter.id, s.shelterId)) : [];
      return { stayId: s.id, municipalityCode: s.municipalityCode, place: s.place, shelterId: s.shelterId, shelterNameJa: sh?.nameJa ?? null, shelterNameEn: sh?.nameEn ?? null, status: s.status, checkedInAt: s.checkedInAt.toISOString() };
    });
    const n = names.get(row.id);
    return {
      evacueeId: row.id, municipalityCode: row.municipalityCode, householdId: row.householdId, nameKanji: n?.nameKanji ?? null, nameKana: n?.nameKana ?? null,
      isResident: row.isResident, needs: row.needs as Need[], language: row.language, sex: row.sex as Sex | null,
      consentInquiry: row.consentInquiry, consentJointUse: row.consentJointUse, dvProtected: row.dvProtected, source: row.source, stay, details,
    };
  }

  /** Staff corrections: needs, language, consent, notes; DV protection only with shelter:command. */
  async patch(staff: StaffPrincipal, code: string, evacueeId: string, patch: EvacueePatch, requestId: string): Promise<EvacueeDetailView> {
    const ctx = actFor(staff, code, 'shelter:operate');
    if (patch.dvProtected !== undefined && !can(staff, 'shelter:command', code)) throw HttpErrors.forbidden();
    const actor = `staff:${staff.loginName}`;
    const partnerStays: { host: string; stayId: string; shelterId: string | null; copy: { needs: string[]; sex: string | null; language: string | null } }[] = [];
    const row = await this.deps.db.tenant(ctx, async (tx) => {
      const prior = await this.repo.get(tx, evacueeId);
      // Only the municipality that registered the person corrects the record (RLS agrees).
      if (!prior || prior.removedAt || prior.municipalityCode !== code) throw ShelterErrors['evacuee-not-found']();
      const next = await this.repo.update(tx, evacueeId, {
        ...(patch.needs ? { needs: [...new Set(patch.needs)] } : {}),
        ...(patch.language !== undefined ? { language: patch.language?.trim() || null } : {}),
        ...(patch.consentInquiry !== undefined ? { consentInquiry: patch.consentInquiry } : {}),
        ...(patch.dvProtected !== undefined ? { dvProtected: patch.dvProtected } : {}),
      });
      if (patch.notes !== undefined) {
        const access = { municipalityCode: code, actor, purpose: 'shelter evacuee notes', requestId };
        const current = (await this.deps.vault.getIfAny(access, evacueeId, 'evacuee', { tx })) ?? {};
        await this.deps.vault.put(access, evacueeId, 'evacuee', { ...current, notes: patch.notes }, { tx });
      }
      if (!sameSet(prior.needs, next!.needs) || prior.language !== next!.language) {
        const copy = { needs: next!.needs, sex: next!.sex, language: next!.language };
        for (const s of await this.repo.liveStays(tx, [evacueeId])) {
          if (s.municipalityCode === code) {
            await this.repo.updateStayCopies(tx, s.id, copy);
            await notifyShelterChange(tx, { host: code, home: code, shelterId: s.shelterId });
          } else partnerStays.push({ host: s.municipalityCode, stayId: s.id, shelterId: s.shelterId, copy });
        }
      }
      return next!;
    });
    for (const s of partnerStays) {
      await this.deps.db.tenant({ municipalityCode: s.host }, async (tx) => {
        if (await this.repo.updateStayCopies(tx, s.stayId, s.copy)) await notifyShelterChange(tx, { host: s.host, home: code, shelterId: s.shelterId });
      });
    }
    return this.detailOf(code, row, actor, requestId);
  }
}
