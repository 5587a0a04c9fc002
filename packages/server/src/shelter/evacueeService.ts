// Evacuees (避難者): pre-registered households, registered residents known from their card, walk-ins.
// The platform DB holds pseudonymous rows with coarse flags; names and details live in the vault
// (category `evacuee`) of the municipality that registered the person.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/engine.js';
import type { ShelterServiceDeps } from './deps.js';
import { evacueeRepository as repo, type EvacueeRow } from './evacueeRepository.js';
import { searchKeys } from './searchKeys.js';
import type { WalkInInput } from './views.js';

export type { EvacueeRow } from './evacueeRepository.js';

/** The card's sex item (as typed or read) to the coarse flag kept beside the evacuee. */
export function sexFlag(v: string | undefined | null): 'male' | 'female' | 'other' | null {
  if (!v) return null;
  const s = v.trim().toLowerCase();
  if (s === 'male' || s === '男' || s === '男性' || s === '1') return 'male';
  if (s === 'female' || s === '女' || s === '女性' || s === '2') return 'female';
  return 'other';
}

export class EvacueeService {
  constructor(readonly deps: ShelterServiceDeps) {}

  /** Live rows (not removed) of the resident's household in tx's municipality, self first; [] if none. */
  householdOfResident(tx: Tx, residentId: string): Promise<EvacueeRow[]> {
    return repo.householdOfResident(tx, residentId);
  }

  /**
   * A registered resident without pre-registration: the self record (id = resident id) from the
   * vault's `basic` category, so the card alone is enough to check in. Returns the household.
   */
  async ensureResidentEvacuee(tx: Tx, code: string, residentId: string, by: { actor: string; requestId: string }): Promise<EvacueeRow[]> {
    const existing = await repo.householdOfResident(tx, residentId);
    if (existing.length) return existing;
    const access = { municipalityCode: code, actor: by.actor, purpose: 'shelter check-in of a registered resident', requestId: by.requestId };
    const basic = await this.deps.vault.get(access, residentId, 'basic', { tx }).catch(() => ({} as Record<string, string>));
    const keys = searchKeys(this.deps.secret, [basic.nameKanji, basic.nameKana], basic.birthDate);
    const { row, created } = await repo.insertOnce(tx, {
      id: residentId, municipalityCode: code, householdId: residentId, residentId, isResident: true, source: 'registered-resident',
      sex: sexFlag(basic.sex), searchKeys: keys,
    });
    if (created && (basic.nameKanji || basic.birthDate)) {
      await this.deps.vault.put(access, residentId, 'evacuee', {
        nameKanji: basic.nameKanji ?? '', nameKana: basic.nameKana ?? '', birthDate: basic.birthDate ?? '', sex: basic.sex ?? '',
      }, { tx });
    }
    return row.removedAt ? [] : repo.householdOfResident(tx, residentId);
  }

  /** The household of a walk-in card registered earlier in tx's municipality. */
  async householdOfCard(tx: Tx, cardKey: string): Promise<EvacueeRow[]> {
    const r = await repo.byCard(tx, cardKey);
    return r ? repo.household(tx, r.householdId) : [];
  }

  /** The household of a blank intake card (受付カード) handed out earlier in tx's municipality. */
  async householdOfIntakeCode(tx: Tx, intakeCode: string): Promise<EvacueeRow[]> {
    const r = await repo.byIntakeCode(tx, intakeCode);
    return r ? repo.household(tx, r.householdId) : [];
  }

  /** Rows by id, as RLS lets tx see them (own, or a consenting joint-use partner's). */
  byIds(tx: Tx, ids: string[]): Promise<EvacueeRow[]> {
    return repo.byIds(tx, [...new Set(ids)]);
  }

  /**
   * A person registered on the spot. Idempotent on evacueeId (an offline kiosk's retry returns the
   * existing row and writes nothing); details go to the vault in the same transaction.
   */
  async createWalkIn(tx: Tx, code: string, input: WalkInInput, opts: { evacueeId: string; cardKey: string | null; actor: string; requestId: string }): Promise<EvacueeRow> {
    const prior = await repo.get(tx, opts.evacueeId);
    if (prior) return prior;
    const { row, created } = await repo.insertOnce(tx, {
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
}
