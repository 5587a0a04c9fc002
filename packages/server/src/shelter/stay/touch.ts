// Touch resolution: from a card, a QR code or an intake card to the household it names, wherever the
// household is registered (our municipality or a joint-use partner), before anything is written.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import type { VerifyInput } from '../../identity/index.js';
import { actFor } from '../../kernel/callers.js';
import { assertMunicipalityCode } from '../../kernel/tenancy/municipalityCode.js';
import { PortalErrors } from '../../portal/index.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import type { EvacueeService } from '../evacuee/service.js';
import type { CheckInRequest, StayChannel, TouchResult } from '../contract.js';
import { actorOf, counterOf, SHELTER_CHECK_IN_FLOW, type StaffCaller } from './common.js';
import type { EvacueeRow } from './repository.js';
import type { StayViews } from './views.js';

/** Who is being checked in, already resolved to evacuee rows of one municipality (the evacuee's own). */
export interface Resolved {
  home: string;
  rows: EvacueeRow[];
  channel: StayChannel;
}

type By = { actor: string; requestId: string };

export class TouchResolution {
  constructor(
    private readonly deps: Pick<ShelterServiceDeps, 'db' | 'identity' | 'municipalities' | 'qr'>,
    private readonly evacuees: Pick<EvacueeService, 'householdOfCard' | 'householdOfResident' | 'householdOfIntakeCode' | 'ensureResidentEvacuee'>,
    private readonly views: Pick<StayViews, 'evacueeViews'>,
  ) {}

  /**
   * A card touched at a shelter kiosk: the holder and their household, wherever they are registered
   * (own municipality or a joint-use partner). Touch-only when the municipality allows the
   * `shelter-check-in` flow, otherwise a PIN signature over a staff challenge.
   */
  async touch(c: StaffCaller, code: string, shelterId: string, input: { certificate: string; challengeId?: string; signature?: string }): Promise<TouchResult> {
    assertMunicipalityCode(code);
    actFor(c.staff, code, 'shelter:operate');
    const cardKey = await this.checkCard(c, code, input);
    const resolved = await this.householdOfCard(c, code, cardKey, 'card-touch');
    const m = await this.deps.municipalities.get(resolved.home);
    const detailsShared = resolved.home === code || resolved.rows.every((r) => r.consentJointUse);
    return {
      homeMunicipalityCode: resolved.home,
      homeMunicipalityName: { ja: m.nameJa, en: m.nameEn },
      detailsShared,
      household: await this.views.evacueeViews(c, code, resolved.home, resolved.rows, `shelter check-in | shelter ${shelterId}`),
    };
  }

  /** The card key of a walk-in's card (identified, audited, never a resident's lookup). */
  async walkInCard(c: StaffCaller, code: string, certificate: string): Promise<string> {
    return (await this.deps.identity.identify(counterOf(c), code, certificate, `${SHELTER_CHECK_IN_FLOW} walk-in`)).cardKey;
  }

  /** Resolves card, QR and partner cases before the write transaction (each is its own audited step). */
  async resolve(c: StaffCaller, code: string, req: CheckInRequest): Promise<Resolved | undefined> {
    const by = { actor: actorOf(c), requestId: c.requestId };
    if (req.certificate && !req.walkIn) {
      // A card read (offline queue included): identity is confirmed now, at sync.
      const cardKey = (await this.deps.identity.identify(counterOf(c), code, req.certificate, SHELTER_CHECK_IN_FLOW)).cardKey;
      return this.householdOfCard(c, code, cardKey, req.channel ?? 'card-touch');
    }
    if (req.qrToken) return this.householdOfQr(c, code, req.qrToken, by);
    return undefined;
  }

  private async checkCard(c: StaffCaller, code: string, input: { certificate: string; challengeId?: string; signature?: string }): Promise<string> {
    const { identity, municipalities } = this.deps;
    if (input.challengeId && input.signature) {
      const v: VerifyInput = { challengeId: input.challengeId, signature: input.signature, certificate: input.certificate, purpose: SHELTER_CHECK_IN_FLOW };
      return (await identity.verify(counterOf(c), code, v)).cardKey;
    }
    if (!(await municipalities.isTouchOnlyFlow(code, SHELTER_CHECK_IN_FLOW))) {
      throw PortalErrors['touch-only-not-allowed']({ flow: SHELTER_CHECK_IN_FLOW });
    }
    return (await identity.identify(counterOf(c), code, input.certificate, SHELTER_CHECK_IN_FLOW)).cardKey;
  }

  /** The household a card belongs to: a walk-in card of this municipality, or a resident's (own or partner's). */
  private async householdOfCard(c: StaffCaller, code: string, cardKey: string, channel: StayChannel): Promise<Resolved> {
    const { evacuees } = this;
    const by = { actor: actorOf(c), requestId: c.requestId };
    const local = await this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      const walkIn = await evacuees.householdOfCard(tx, cardKey);
      if (walkIn.length) return { home: code, rows: walkIn };
      const home = await cardHome(tx, cardKey);
      if (!home) return undefined;
      if (home.municipalityCode !== code) return { home: home.municipalityCode, residentId: home.residentId };
      const rows = await evacuees.householdOfResident(tx, home.residentId);
      return { home: code, rows: rows.length ? rows : await evacuees.ensureResidentEvacuee(tx, code, home.residentId, by) };
    });
    if (!local) throw ShelterErrors['card-not-pre-registered']();
    if (local.rows) return { home: local.home, rows: local.rows, channel };
    return { home: local.home, rows: await this.partnerHousehold(code, local.home, local.residentId, by), channel };
  }

  /** A personal QR code (ours or a partner's), or a blank intake card handed out earlier. */
  private async householdOfQr(c: StaffCaller, code: string, token: string, by: By): Promise<Resolved> {
    const { qr, municipalities, db } = this.deps;
    const home = qr.tokenMunicipality(token);
    if (home && home !== code && !(await this.arePartners(code, home))) {
      const m = await municipalities.get(home).catch(() => undefined);
      throw ShelterErrors['qr-other-municipality']({ home: m?.nameJa ?? home });
    }
    if (!home) {
      // Not a personal QR: maybe a blank intake card handed out earlier.
      const rows = await db.tenant({ municipalityCode: code }, (tx) => this.evacuees.householdOfIntakeCode(tx, token));
      if (!rows.length) throw ShelterErrors['intake-code-unknown']();
      return { home: code, rows, channel: 'qr' };
    }
    const v = home === code ? await qr.validate({ staff: c.staff, requestId: c.requestId }, code, token) : await qr.validateForPartner({ staff: c.staff, requestId: c.requestId }, home, token);
    if (home === code) {
      const rows = await db.tenant({ municipalityCode: code }, async (tx) => {
        const h = await this.evacuees.householdOfResident(tx, v.residentId);
        return h.length ? h : this.evacuees.ensureResidentEvacuee(tx, code, v.residentId, by);
      });
      return { home: code, rows, channel: 'qr' };
    }
    return { home, rows: await this.partnerHousehold(code, home, v.residentId, by), channel: 'qr' };
  }

  /** A partner municipality's resident at our shelter: only under a joint-use agreement for shelters. */
  private async partnerHousehold(host: string, home: string, residentId: string, by: By): Promise<EvacueeRow[]> {
    if (!(await this.arePartners(host, home))) {
      const m = await this.deps.municipalities.get(home);
      throw ShelterErrors['joint-use-not-allowed']({ home: m.nameJa });
    }
    // Acting for the home municipality: its RLS, its audit chain (the actor names our staff).
    return this.deps.db.tenant({ municipalityCode: home }, async (tx) => {
      const rows = await this.evacuees.householdOfResident(tx, residentId);
      return rows.length ? rows : this.evacuees.ensureResidentEvacuee(tx, home, residentId, { ...by, actor: `${by.actor}@${host}` });
    });
  }

  private async arePartners(a: string, b: string): Promise<boolean> {
    return this.deps.db.tenant({ municipalityCode: a }, async (tx) => {
      const res = (await tx.execute(sql`select kazashi_shelter_partners(${a}, ${b}) as ok`)) as unknown as { rows: { ok: boolean }[] };
      return res.rows[0]?.ok === true;
    });
  }
}

/** The municipality and resident a card is bound to (the identity domain's SQL function, RLS-safe). */
async function cardHome(tx: Tx, cardKey: string): Promise<{ municipalityCode: string; residentId: string } | undefined> {
  const res = (await tx.execute(sql`select municipality_code, resident_id from kazashi_card_home(${cardKey})`)) as unknown as { rows: { municipality_code: string; resident_id: string }[] };
  const r = res.rows[0];
  return r ? { municipalityCode: r.municipality_code, residentId: r.resident_id } : undefined;
}
