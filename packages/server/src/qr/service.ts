import type { AuditService } from '../audit/index.js';
import type { Database, TenantContext } from '../kernel/db/engine.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import { ResidentErrors, type ResidentService } from '../resident/index.js';
import { actFor, type StaffPrincipal } from '../kernel/callers.js';
import { QrErrors } from './errors.js';
import { qrRepository } from './repository.js';
import type { QrCardRevoked, QrCardView, QrTokenView, QrValidation } from './contract.js';
import { cardJti, deriveQrKey, jtiToCardId, newJti, parseToken, signToken } from './token.js';

/** Who asks: staff for now; a resident session will call the same methods later. */
export interface QrCaller {
  staff: StaffPrincipal;
  requestId: string;
}

export interface QrOptions {
  ttlSeconds: number;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
}

type QrProblem = keyof typeof QrErrors;
const REFRESH_SECONDS = 60;
const actor = (c: QrCaller) => `staff:${c.staff.loginName}`;

/**
 * The personal QR code: short-lived signed tokens that rotate and are accepted once, and printable
 * static cards that are accepted until revoked. See token.ts for the format.
 */
export class QrService {
  private readonly key: Buffer;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly residents: ResidentService,
    private readonly audit: AuditService,
    serverSecret: Buffer,
    private readonly opts: QrOptions,
    private readonly repo: typeof qrRepository = qrRepository,
  ) {
    this.key = deriveQrKey(serverSecret);
    this.now = opts.now ?? Date.now;
  }

  /** A fresh rotating token for the resident's phone screen. */
  async issueToken(c: QrCaller, code: string, residentId: string): Promise<QrTokenView> {
    assertMunicipalityCode(code);
    const r = await this.db.tenant(actFor(c.staff, code, 'qr:issue'), (tx) => this.residents.getIn(tx, residentId));
    if (!r || r.municipalityCode !== code) throw ResidentErrors['resident-not-found']();
    return this.rotating(code, residentId);
  }

  /** A fresh rotating token asked for by the resident themself (My page, their own resident session). */
  async issueOwnToken(self: { municipalityCode: string; residentId: string }): Promise<QrTokenView> {
    const code = self.municipalityCode;
    assertMunicipalityCode(code);
    const r = await this.db.tenant({ municipalityCode: code }, (tx) => this.residents.getIn(tx, self.residentId));
    if (!r || r.municipalityCode !== code || r.status !== 'active') throw ResidentErrors['resident-not-found']();
    return this.rotating(code, r.id);
  }

  private rotating(code: string, residentId: string): QrTokenView {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.opts.ttlSeconds;
    const token = signToken(this.key, { municipalityCode: code, kind: 'rotating', residentId, issuedAt, expiresAt, jti: newJti() });
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString(), refreshInSeconds: Math.min(REFRESH_SECONDS, this.opts.ttlSeconds) };
  }

  /** A printable static card (no expiry, many uses, revocable); the issue is audited. */
  async issueCard(c: QrCaller, code: string, residentId: string): Promise<QrCardView> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(c.staff, code, 'qr:issue'), async (tx) => {
      const r = await this.residents.getIn(tx, residentId);
      if (!r || r.municipalityCode !== code) throw ResidentErrors['resident-not-found']();
      const card = await this.repo.insertCard(tx, { municipalityCode: code, residentId, issuedBy: actor(c), issuedAt: new Date(this.now()) });
      await this.audit.append(tx, code, { actor: actor(c), action: 'qr.card.issue', residentId, purpose: `qr card ${card.id}`, categories: [], fields: [], requestId: c.requestId });
      const token = signToken(this.key, {
        municipalityCode: code, kind: 'card', residentId, issuedAt: Math.floor(card.issuedAt.getTime() / 1000), expiresAt: null, jti: cardJti(card.id),
      });
      return { cardId: card.id, token };
    });
  }

  /** Revokes a static card with immediate effect (revoking twice keeps the first time); audited. */
  async revokeCard(c: QrCaller, code: string, cardId: string): Promise<QrCardRevoked> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(c.staff, code, 'qr:issue'), async (tx) => {
      const card = await this.repo.getCard(tx, code, cardId);
      if (!card) throw QrErrors['qr-card-not-found']();
      const after = card.revokedAt ? card : (await this.repo.revokeCard(tx, card.id, new Date(this.now()))) ?? card;
      await this.audit.append(tx, code, { actor: actor(c), action: 'qr.card.revoke', residentId: card.residentId, purpose: `qr card ${card.id}`, categories: [], fields: [], requestId: c.requestId });
      return { cardId: card.id, revokedAt: after.revokedAt!.toISOString() };
    });
  }

  /**
   * Validates a scanned token. A bad format or MAC, another municipality's token, or an unknown
   * resident or card is `qr-token-invalid` and says nothing more. Once the resident is known, the
   * validation is audited whatever its outcome (in the same transaction as the jti's first use).
   */
  async validate(c: QrCaller, code: string, token: string): Promise<QrValidation> {
    assertMunicipalityCode(code);
    return this.validateIn(actFor(c.staff, code, 'qr:validate'), c, code, token);
  }

  /** The municipality a well-formed, authentic token belongs to (joint-use shelters route by it). */
  tokenMunicipality(token: string): string | undefined {
    return parseToken(this.key, token)?.municipalityCode;
  }

  /**
   * Validates a partner municipality's token for a joint-use service (a shelter of another municipality
   * in the same group). The caller has checked the joint-use agreement; audited in the token's municipality.
   */
  async validateForPartner(c: QrCaller, homeCode: string, token: string): Promise<QrValidation> {
    assertMunicipalityCode(homeCode);
    return this.validateIn({ municipalityCode: homeCode }, c, homeCode, token);
  }

  private async validateIn(ctx: TenantContext, c: QrCaller, code: string, token: string): Promise<QrValidation> {
    const claims = parseToken(this.key, token);
    if (!claims || claims.municipalityCode !== code) throw QrErrors['qr-token-invalid']();
    const now = this.now();
    const outcome = await this.db.tenant(ctx, async (tx): Promise<{ problem: QrProblem } | QrValidation> => {
      const r = await this.residents.getIn(tx, claims.residentId);
      if (!r?.residentNumber || r.municipalityCode !== code) return { problem: 'qr-token-invalid' };
      let problem: QrProblem | undefined;
      if (claims.kind === 'rotating') {
        if (claims.expiresAt! * 1000 <= now) problem = 'qr-token-expired';
        else if (!(await this.repo.markUsed(tx, { municipalityCode: code, jti: claims.jti, residentId: r.id, usedAt: new Date(now), expiresAt: new Date(claims.expiresAt! * 1000) }))) problem = 'qr-token-replayed';
      } else {
        const card = await this.repo.getCard(tx, code, jtiToCardId(claims.jti));
        if (!card || card.residentId !== r.id) problem = 'qr-token-invalid';
        else if (card.revokedAt) problem = 'qr-card-revoked';
      }
      await this.audit.append(tx, code, {
        actor: actor(c), action: 'qr.validate', residentId: r.id, purpose: `qr ${claims.kind} | ${problem ?? 'accepted'}`, categories: [], fields: [], requestId: c.requestId,
      });
      return problem ? { problem } : { residentId: r.id, residentNumber: r.residentNumber, kind: claims.kind };
    });
    if ('problem' in outcome) throw QrErrors[outcome.problem]();
    return outcome;
  }
}
