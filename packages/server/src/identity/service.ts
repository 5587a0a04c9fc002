import crypto from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import type { Database, TenantContext, Tx } from '../kernel/db/engine.js';
import { HttpErrors, type KazashiError } from '../kernel/errors.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import { actFor, type StaffPrincipal } from '../kernel/callers.js';
import type { CardBindingView, ChallengeView, VerifiedCard } from './contract.js';
import { cardBindingRepository, type CardBindingRow } from './bindingRepository.js';
import { CardCheckError, cardKeyOf, checkAuthCertificate, isChallengeSignature, type CheckedCertificate } from './certificate.js';
import { IdentityErrors, identityProblem } from './errors.js';
import { identityRepository, type ChallengeRow } from './repository.js';
import { RevocationUnavailableError } from './revocation.js';
import type { IdentityTrust } from './trust.js';

export type { CardBindingView, ChallengeView, VerifiedCard };

export interface VerifyInput {
  challengeId: string;
  purpose: string;
  /** The card's user-authentication certificate (EF 000A), base64 DER. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 / SHA-256 signature of the challenge bytes by the card's auth key, base64. */
  signature: string;
}

/**
 * Who takes the card touch: at the counter, the staff member and their session; on the resident's own
 * device, no staff and the pre-login `kazashi_touch` token. The challenge is bound to `sessionToken`
 * (hashed); `actor` is what the audit trail records.
 */
export interface Counter {
  /** `staff:<login>` at the counter, `resident:self` on the resident's own device. */
  actor: string;
  /** The staff member at the counter; absent for a resident's own login. */
  staff?: StaffPrincipal;
  sessionToken: string;
  requestId: string;
}

/** A counter run by a staff member in their session. */
export const staffCounter = (staff: StaffPrincipal, sessionToken: string, requestId: string): Counter =>
  ({ actor: `staff:${staff.loginName}`, staff, sessionToken, requestId });

/** The staff member behind a counter, for staff-only operations; a resident's own counter is refused (403). */
export function staffOf(c: Counter): StaffPrincipal {
  if (!c.staff) throw HttpErrors.forbidden();
  return c.staff;
}

/** What `verifyIn` found: the verified card, or the failure to throw once the attempt's audit entry is committed. */
export type VerifyOutcome = { verified: VerifiedCard } | { failure: KazashiError };

const bindingView = (b: CardBindingRow): CardBindingView => ({
  id: b.id, cardKey: b.cardKey, residentId: b.residentId, status: b.status, boundAt: b.boundAt.toISOString(),
  suspendedAt: b.suspendedAt?.toISOString() ?? null, endedAt: b.endedAt?.toISOString() ?? null, replacedBy: b.replacedBy,
});

/** Expired challenges are kept this long (to answer challenge-expired rather than not-found), then purged. */
const KEEP_EXPIRED_MS = 3600_000;

/** Domain-separated from the session table's own token hash. */
const sessionHash = (token: string) => crypto.createHash('sha256').update('kazashi identity challenge\0').update(token).digest('hex');

function tryCardKey(der: Buffer): string | undefined {
  try {
    return cardKeyOf(der);
  } catch {
    return undefined;
  }
}

export class IdentityService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly trust: () => Promise<IdentityTrust>,
    private readonly policy: { challengeTtlSeconds: number },
    private readonly repo: typeof identityRepository = identityRepository,
    private readonly bindings: typeof cardBindingRepository = cardBindingRepository,
  ) {}

  /**
   * Card touches are taken by staff of the municipality itself, whatever their role, or by the
   * resident on their own device (no staff: the challenge is bound to the pre-login token instead).
   */
  private context(c: Counter, code: string): TenantContext {
    assertMunicipalityCode(code);
    if (c.staff && c.staff.municipalityCode !== code) throw HttpErrors.forbidden();
    return { municipalityCode: code };
  }

  /** A fresh single-use challenge bound to `purpose` and to the asking session. */
  async createChallenge(c: Counter, code: string, purpose: string): Promise<ChallengeView> {
    const ctx = this.context(c, code);
    const now = new Date();
    const challenge = crypto.randomBytes(32).toString('base64url');
    const row = await this.db.tenant(ctx, async (tx) => {
      return this.repo.insert(tx, {
        municipalityCode: code, purpose, sessionHash: sessionHash(c.sessionToken), challenge, createdAt: now,
        expiresAt: new Date(now.getTime() + this.policy.challengeTtlSeconds * 1000),
      });
    });
    return { challengeId: row.id, challenge, expiresAt: row.expiresAt.toISOString() };
  }

  /**
   * Verifies one card touch: the challenge (exists, same purpose and session, unused, unexpired), the
   * certificate (see checkAuthCertificate), the signature over the challenge, and revocation. A
   * challenge that passed its own checks is consumed whatever the outcome, atomically, in the
   * transaction that records the attempt in the audit trail.
   */
  async verify(c: Counter, code: string, input: VerifyInput): Promise<VerifiedCard> {
    const ctx = this.context(c, code);
    const outcome = await this.db.tenant(ctx, (tx) => this.verifyIn(tx, c, code, input));
    if ('failure' in outcome) throw outcome.failure;
    return outcome.verified;
  }

  /**
   * `verify` inside the caller's transaction (acting for `code`), for a flow that goes on in the same
   * transaction (a card login). The outcome is returned, not thrown: the caller commits the attempt's
   * audit entry and throws the failure after. One statement consumes the challenge if it is this
   * session's, for this purpose, unused and unexpired; only when it is not is it read again, to say why.
   */
  async verifyIn(tx: Tx, c: Counter, code: string, input: VerifyInput): Promise<VerifyOutcome> {
    this.context(c, code);
    const now = new Date();
    const certificate = Buffer.from(input.certificate, 'base64');
    const challenge = await this.repo.consumeFor(tx, { id: input.challengeId, purpose: input.purpose, sessionHash: sessionHash(c.sessionToken), now });
    let failure = challenge ? undefined : this.challengeFailure(await this.repo.get(tx, input.challengeId), c, input.purpose, now) ?? IdentityErrors['challenge-replayed']();
    let checked: CheckedCertificate | undefined;
    if (challenge) {
      try {
        checked = await this.checkTouch(certificate, Buffer.from(challenge.challenge, 'base64url'), Buffer.from(input.signature, 'base64'), now);
      } catch (e) {
        failure = identityProblem(e);
      }
    }
    const cardKey = checked?.cardKey ?? tryCardKey(certificate);
    await this.audit.append(tx, code, {
      actor: c.actor, action: 'identity.verify',
      purpose: `${input.purpose} | card ${cardKey ?? '-'} | ${failure?.code ?? 'verified'}`,
      categories: [], fields: [], requestId: c.requestId,
    });
    if (failure) return { failure };
    return { verified: { cardKey: checked!.cardKey, notAfter: checked!.certificate.notAfter.toISOString(), verifiedAt: now.toISOString() } };
  }

  /**
   * Deletes the municipality's challenges that expired more than KEEP_EXPIRED_MS ago (a periodic job:
   * see the identity module). Returns how many.
   */
  async purgeExpiredChallenges(code: string): Promise<number> {
    return this.db.tenant({ municipalityCode: code }, (tx) => this.repo.purgeExpired(tx, code, new Date(Date.now() - KEEP_EXPIRED_MS)));
  }

  /**
   * Identifies a card by its certificate alone, without a PIN or a challenge signature (kiosk
   * touch-only flows): chain, validity, key, usage and revocation as in `verify`. Weaker than
   * `verify`: the certificate is public data read from the card, so callers allow this only on flows
   * the municipality marked touch-only. Audited `identity.identify` whatever the outcome.
   */
  async identify(c: Counter, code: string, certificateB64: string, purpose: string): Promise<VerifiedCard> {
    const ctx = this.context(c, code);
    const now = new Date();
    const certificate = Buffer.from(certificateB64, 'base64');
    let failure: KazashiError | undefined;
    let checked: CheckedCertificate | undefined;
    try {
      checked = await this.checkCertificate(certificate, now);
    } catch (e) {
      failure = identityProblem(e);
    }
    const cardKey = checked?.cardKey ?? tryCardKey(certificate);
    await this.db.tenant(ctx, (tx) => this.audit.append(tx, code, {
      actor: c.actor, action: 'identity.identify', purpose: `${purpose} | card ${cardKey ?? '-'} | ${failure?.code ?? 'identified'}`,
      categories: [], fields: [], requestId: c.requestId,
    }));
    if (failure) throw failure;
    return { cardKey: checked!.cardKey, notAfter: checked!.certificate.notAfter.toISOString(), verifiedAt: now.toISOString() };
  }

  private challengeFailure(row: ChallengeRow | undefined, c: Counter, purpose: string, now: Date): KazashiError | undefined {
    if (!row) return IdentityErrors['challenge-not-found']();
    const sameSession = crypto.timingSafeEqual(Buffer.from(row.sessionHash), Buffer.from(sessionHash(c.sessionToken)));
    if (!sameSession || row.purpose !== purpose) return IdentityErrors['challenge-mismatch']();
    if (row.usedAt) return IdentityErrors['challenge-replayed']();
    if (row.expiresAt <= now) return IdentityErrors['challenge-expired']();
    return undefined;
  }

  /** Certificate, then signature (cheap and local), then revocation (may ask a responder). */
  private async checkTouch(certificate: Buffer, challenge: Buffer, signature: Buffer, now: Date): Promise<CheckedCertificate> {
    return this.checkCertificate(certificate, now, (checked) => {
      if (!isChallengeSignature(checked.publicKey, challenge, signature)) throw new CardCheckError('signature-invalid');
    });
  }

  /** The certificate (see checkAuthCertificate), then `beforeRevocation` (the signature), then revocation. */
  private async checkCertificate(certificate: Buffer, now: Date, beforeRevocation?: (checked: CheckedCertificate) => void): Promise<CheckedCertificate> {
    const trust = await this.trust();
    const checked = checkAuthCertificate(certificate, trust.anchors, now);
    beforeRevocation?.(checked);
    let status: string;
    try {
      status = await trust.revocation.check(checked, checked.issuer, now);
    } catch (e) {
      throw e instanceof RevocationUnavailableError ? e : new RevocationUnavailableError(`${trust.revocation.name} failed`, { cause: e });
    }
    if (status !== 'good') throw new CardCheckError('certificate-revoked');
    return checked;
  }

  // --- Card bindings ---------------------------------------------------------------------------

  /** Binds a verified card to a resident inside the caller's transaction; a card bound before is `card-already-registered`. */
  async bindIn(tx: Tx, code: string, cardKey: string, residentId: string, c: Counter): Promise<CardBindingView> {
    if (await this.bindings.byCard(tx, code, cardKey)) throw IdentityErrors['card-already-registered']();
    const row = await this.bindings.insert(tx, { municipalityCode: code, cardKey, residentId, boundAt: new Date() });
    await this.audit.append(tx, code, {
      actor: c.actor, action: 'identity.card.bind', residentId, purpose: `card ${cardKey}`, categories: [], fields: [], requestId: c.requestId,
    });
    return bindingView(row);
  }

  /** True when the card has ever been bound in the municipality (whatever its status). */
  async isBound(tx: Tx, code: string, cardKey: string): Promise<boolean> {
    return (await this.bindings.byCard(tx, code, cardKey)) !== undefined;
  }

  /**
   * The active binding of a verified card, inside the caller's transaction. A suspended or replaced
   * card is `card-suspended`; an unknown one `card-not-registered` (one uniform message, whatever card).
   */
  async activeBindingIn(tx: Tx, code: string, cardKey: string): Promise<CardBindingView> {
    const b = await this.bindings.byCard(tx, code, cardKey);
    if (!b) throw IdentityErrors['card-not-registered']();
    if (b.status !== 'active') throw IdentityErrors['card-suspended']();
    return bindingView(b);
  }

  /** Every card a resident has had (staff with card:manage). */
  async bindingsOf(p: StaffPrincipal, code: string, residentId: string): Promise<CardBindingView[]> {
    assertMunicipalityCode(code);
    return (await this.db.tenant(actFor(p, code, 'card:manage'), (tx) => this.bindings.forResident(tx, code, residentId))).map(bindingView);
  }

  /** Lost card: staff suspend the resident's current card at once; it can no longer log in. */
  async suspend(c: Counter, code: string, residentId: string, reason: string): Promise<CardBindingView> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(staffOf(c), code, 'card:manage'), (tx) => this.suspendIn(tx, code, residentId, reason, c));
  }

  /**
   * Suspends the resident's current card inside the caller's transaction (acting for `code`): for staff
   * (through `suspend`) and for the resident themself (My page, `actor` resident:self). Audited.
   */
  async suspendIn(tx: Tx, code: string, residentId: string, reason: string, by: { actor: string; requestId: string }): Promise<CardBindingView> {
    const b = await this.bindings.current(tx, code, residentId);
    if (!b) throw IdentityErrors['card-not-registered']();
    const now = new Date();
    if (b.status === 'active') await this.bindings.suspend(tx, b.id, now);
    await this.audit.append(tx, code, {
      actor: by.actor, action: 'identity.card.suspend', residentId, purpose: `${reason} | card ${b.cardKey}`, categories: [], fields: [], requestId: by.requestId,
    });
    return bindingView({ ...b, status: 'suspended', suspendedAt: b.suspendedAt ?? now });
  }

  /** The resident's cards inside the caller's transaction (for the resident's own My page). */
  async bindingsIn(tx: Tx, code: string, residentId: string): Promise<CardBindingView[]> {
    return (await this.bindings.forResident(tx, code, residentId)).map(bindingView);
  }

  /**
   * Card renewal: the new card proves itself by a touch (purpose `card-renewal`), staff with
   * card:manage confirm, the new card is bound to the same resident and the old binding ends.
   * The resident (and so their resident number) is unchanged.
   */
  async rebind(c: Counter, code: string, residentId: string, touch: VerifyInput): Promise<CardBindingView> {
    assertMunicipalityCode(code);
    const ctx = actFor(staffOf(c), code, 'card:manage');
    const verified = await this.verify(c, code, touch);
    return this.db.tenant(ctx, async (tx) => {
      const old = await this.bindings.current(tx, code, residentId);
      if (!old) throw IdentityErrors['card-not-registered']();
      if (await this.bindings.byCard(tx, code, verified.cardKey)) throw IdentityErrors['card-already-registered']();
      const now = new Date();
      // End the old binding first: at most one active card per resident.
      await this.bindings.replace(tx, old.id, null, now);
      const row = await this.bindings.insert(tx, { municipalityCode: code, cardKey: verified.cardKey, residentId, boundAt: now });
      await this.bindings.replace(tx, old.id, row.id, now);
      await this.audit.append(tx, code, {
        actor: c.actor, action: 'identity.card.rebind', residentId,
        purpose: `card renewal | card ${old.cardKey} -> ${verified.cardKey}`, categories: [], fields: [], requestId: c.requestId,
      });
      return bindingView(row);
    });
  }
}
