import type { AuditService } from '../audit/index.js';
import type { Database, Tx } from '../kernel/db/engine.js';
import { IdentityErrors, staffOf, type Counter, type IdentityService, type VerifyInput } from '../identity/index.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import type { MunicipalityService } from '../municipality/index.js';
import { ResidentErrors, type ResidentService } from '../resident/index.js';
import { actFor } from '../kernel/callers.js';
import type { PersonalData } from '../vault/index.js';
import { KazashiError } from '../kernel/errors.js';
import { ACR } from '../kernel/residentCaller.js';
import type { BasicFour, CardLoginResult, ConsentExport, ConsentInput, ConsentView, RegistrationRequest, RegistrationResult } from './contract.js';
import { RegistrationErrors } from './errors.js';
import { consentRepository, type ConsentRow } from './repository.js';

/** The first registration as the service takes it: the card touch, the basic four if read, the consents. */
export type RegistrationInput = VerifyInput & Omit<RegistrationRequest, keyof VerifyInput>;

const consentView = (r: ConsentRow): ConsentView => ({
  id: r.id, subject: r.residentId, controller: r.municipalityCode, purpose: r.purpose,
  scope: { services: r.services, dataCategories: r.categories }, recipients: r.recipients,
  givenAt: r.givenAt.toISOString(), withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
  status: r.withdrawnAt ? 'withdrawn' : 'active', termsVersion: r.termsVersion,
});

export const ACR_CARD_PIN = ACR.cardPin;

/** The resident acting on their own records (My page, resident session); audited as `resident:self`. */
export interface SelfCaller {
  municipalityCode: string;
  residentId: string;
  requestId: string;
}
const SELF = 'resident:self';

/** Only the mapping of the card's basic four onto the vault's basic category. */
const basicFields = (b: BasicFour): PersonalData => ({ nameKanji: b.name, address: b.address, birthDate: b.birthDate, sex: b.sex });

/**
 * First registration at the counter or kiosk (初回登録), card login, and the resident's consents.
 * Card verification and binding belong to identity; the resident and their number to resident;
 * personal values go only to the vault.
 */
export class RegistrationService {
  constructor(
    private readonly db: Database,
    private readonly identity: IdentityService,
    private readonly residents: ResidentService,
    private readonly audit: AuditService,
    private readonly municipalities: MunicipalityService,
    private readonly repo: typeof consentRepository = consentRepository,
  ) {}

  /**
   * Verifies the touch (its own transaction: the challenge is consumed and the attempt audited
   * whatever follows), then in one transaction: refuses a card bound before, creates the resident
   * with a fresh resident number, writes the basic four to the vault, binds the card and stores the consents.
   */
  async register(c: Counter, code: string, input: RegistrationInput): Promise<RegistrationResult> {
    assertMunicipalityCode(code);
    const ctx = actFor(staffOf(c), code, 'resident:register');
    const { basicFour, consents, ...touch } = input;
    const verified = await this.identity.verify(c, code, touch);
    const access = { municipalityCode: code, actor: c.actor, purpose: 'registration', requestId: c.requestId };
    return this.db.tenant(ctx, async (tx) => {
      if (await this.identity.isBound(tx, code, verified.cardKey)) throw IdentityErrors['card-already-registered']();
      const r = await this.residents.registerIn(tx, code, basicFour ? { basic: basicFields(basicFour) } : {}, access);
      await this.identity.bindIn(tx, code, verified.cardKey, r.id, c);
      const now = new Date();
      const rows = await this.repo.insert(tx, consents.map((k) => ({
        municipalityCode: code, residentId: r.id, purpose: k.purpose, services: k.services ?? [], categories: k.categories ?? [],
        recipients: k.recipients ?? [], termsVersion: k.termsVersion, givenAt: now,
      })));
      await this.audit.append(tx, code, {
        actor: access.actor, action: 'registration.register', residentId: r.id,
        purpose: `registration | resident ${r.globalId} | consents ${rows.map((x) => x.id).join(',') || '-'}`,
        categories: basicFour ? ['basic'] : [], fields: [], requestId: c.requestId,
      });
      return { residentId: r.id, residentNumber: r.residentNumber!, globalId: r.globalId! };
    });
  }

  /** Card + PIN login: a verified touch (purpose `login`) of an active card gives the resident. */
  /**
   * Card + PIN login at a counter or kiosk: the touch is verified and the card's resident found in
   * one transaction (a kiosk's busiest request). A failure is thrown after that transaction commits,
   * so the attempt's audit entry stays, as when the two were separate.
   */
  async login(c: Counter, code: string, touch: VerifyInput): Promise<CardLoginResult> {
    assertMunicipalityCode(code);
    const outcome = await this.db.tenant({ municipalityCode: code }, async (tx): Promise<{ ok: CardLoginResult } | { failure: KazashiError }> => {
      const v = await this.identity.verifyIn(tx, c, code, touch);
      if ('failure' in v) return v;
      try {
        const binding = await this.identity.activeBindingIn(tx, code, v.verified.cardKey);
        const r = await this.residents.getIn(tx, binding.residentId);
        if (!r?.residentNumber) throw ResidentErrors['resident-not-found']();
        await this.audit.append(tx, code, {
          actor: c.actor, action: 'registration.card-login', residentId: r.id, purpose: `login | ${ACR_CARD_PIN}`,
          categories: [], fields: [], requestId: c.requestId,
        });
        return { ok: { residentId: r.id, residentNumber: r.residentNumber, globalId: r.globalId!, acr: ACR_CARD_PIN } };
      } catch (e) {
        if (e instanceof KazashiError) return { failure: e };
        throw e;
      }
    });
    if ('failure' in outcome) throw outcome.failure;
    return outcome.ok;
  }

  async consents(c: Counter, code: string, residentId: string): Promise<ConsentView[]> {
    assertMunicipalityCode(code);
    return (await this.db.tenant(actFor(staffOf(c), code, 'consent:read'), (tx) => this.repo.forResident(tx, code, residentId))).map(consentView);
  }

  /** Every consent record of the resident as JSON (ISO/IEC TS 27560 shape); the export itself is audited. */
  async exportConsents(c: Counter, code: string, residentId: string): Promise<ConsentExport> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(staffOf(c), code, 'consent:read'), (tx) => this.exportIn(tx, code, residentId, c));
  }

  /** Withdraws a consent with immediate effect (withdrawing twice keeps the first time); audited. */
  async withdraw(c: Counter, code: string, residentId: string, consentId: string): Promise<ConsentView> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(staffOf(c), code, 'consent:manage'), (tx) => this.withdrawIn(tx, code, residentId, consentId, c));
  }

  // --- The resident's own records (My page) -----------------------------------------------------

  /** The resident's own consent records. */
  async ownConsents(s: SelfCaller): Promise<ConsentView[]> {
    return (await this.db.tenant({ municipalityCode: s.municipalityCode }, (tx) => this.repo.forResident(tx, s.municipalityCode, s.residentId))).map(consentView);
  }

  /** The resident exports their own consent records; audited as resident:self. */
  async exportOwnConsents(s: SelfCaller): Promise<ConsentExport> {
    return this.db.tenant({ municipalityCode: s.municipalityCode }, (tx) => this.exportIn(tx, s.municipalityCode, s.residentId, { actor: SELF, requestId: s.requestId }));
  }

  /** The resident withdraws one of their own consents, with immediate effect; audited as resident:self. */
  async withdrawOwnConsent(s: SelfCaller, consentId: string): Promise<ConsentView> {
    return this.db.tenant({ municipalityCode: s.municipalityCode }, (tx) =>
      this.withdrawIn(tx, s.municipalityCode, s.residentId, consentId, { actor: SELF, requestId: s.requestId }));
  }

  /**
   * The resident gives a new consent. Recipients must share a joint-use group with the municipality
   * (`consent-recipient-not-partner` otherwise); audited as resident:self.
   */
  async grantOwnConsent(s: SelfCaller, input: ConsentInput): Promise<ConsentView> {
    const code = s.municipalityCode;
    return this.db.tenant({ municipalityCode: code }, async (tx) => {
      const partners = new Set(await this.municipalities.jointUsePartners(code, tx));
      const outside = [...new Set(input.recipients ?? [])].filter((r) => !partners.has(r));
      if (outside.length) throw RegistrationErrors['consent-recipient-not-partner']({ recipients: outside.join(', ') });
      const [row] = await this.repo.insert(tx, [{
        municipalityCode: code, residentId: s.residentId, purpose: input.purpose, services: [...new Set(input.services ?? [])],
        categories: [...new Set(input.categories ?? [])], recipients: [...new Set(input.recipients ?? [])], termsVersion: input.termsVersion, givenAt: new Date(),
      }]);
      await this.audit.append(tx, code, {
        actor: SELF, action: 'registration.consent.grant', residentId: s.residentId,
        purpose: `give consent ${row!.id} (${input.purpose})`, categories: [], fields: [], requestId: s.requestId,
      });
      return consentView(row!);
    });
  }

  private async exportIn(tx: Tx, code: string, residentId: string, by: { actor: string; requestId: string }): Promise<ConsentExport> {
    const r = await this.residents.getIn(tx, residentId);
    if (!r) throw ResidentErrors['resident-not-found']();
    const records = (await this.repo.forResident(tx, code, residentId)).map(consentView);
    await this.audit.append(tx, code, {
      actor: by.actor, action: 'registration.consent.export', residentId, purpose: 'consent export', categories: [], fields: [], requestId: by.requestId,
    });
    return { schema: 'ISO/IEC TS 27560', exportedAt: new Date().toISOString(), subject: residentId, controller: code, records };
  }

  private async withdrawIn(tx: Tx, code: string, residentId: string, consentId: string, by: { actor: string; requestId: string }): Promise<ConsentView> {
    const row = await this.repo.get(tx, code, residentId, consentId);
    if (!row) throw RegistrationErrors['consent-not-found']();
    const after = row.withdrawnAt ? row : await this.repo.withdraw(tx, row.id, new Date());
    await this.audit.append(tx, code, {
      actor: by.actor, action: 'registration.consent.withdraw', residentId,
      purpose: `withdraw consent ${row.id} (${row.purpose})`, categories: [], fields: [], requestId: by.requestId,
    });
    return consentView(after ?? row);
  }
}
