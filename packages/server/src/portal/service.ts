import type { AuditEntryView, AuditService } from '../audit/index.js';
import type { Database } from '../kernel/db/engine.js';
import { KazashiError } from '../kernel/errors.js';
import type { CardBindingView, Counter, IdentityService, VerifyInput } from '../identity/index.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import type { MunicipalityService } from '../municipality/index.js';
import type { QrService, QrTokenView } from '../qr/index.js';
import type { ConsentExport, ConsentInput, ConsentView, RegistrationService, SelfCaller } from '../registration/index.js';
import { globalResidentId, ResidentErrors, type ResidentService } from '../resident/index.js';
import { actFor, type StaffPrincipal } from '../kernel/callers.js';
import type { VaultService } from '../vault/index.js';
import type { ChallengeView } from '../identity/index.js';
import type { AccessLogEntry, MyPage, ResidentSessionView } from './contract.js';
import { PortalErrors } from './errors.js';
import { ACR, type Acr, type ResidentPrincipal } from '../kernel/residentCaller.js';
import type { ResidentSessionService, SessionChannel } from './sessionService.js';

/** A session just begun: the view and the cookie token to set. */
export interface BegunSession {
  token: string;
  view: ResidentSessionView;
}

/** How an audit actor (`staff:<login>`, `resident:self`, `oidc:<client>`, anything else) reads on My page. */
export function actorOf(actor: string): Pick<AccessLogEntry, 'actorKind' | 'actor'> {
  const i = actor.indexOf(':');
  const kind = i > 0 ? actor.slice(0, i) : '';
  const name = i > 0 ? actor.slice(i + 1) : actor;
  if (kind === 'staff') return { actorKind: 'staff', actor: name };
  if (kind === 'resident') return { actorKind: 'resident', actor: name };
  if (kind === 'oidc' || kind === 'client' || kind === 'service') return { actorKind: 'service', actor: name };
  return { actorKind: 'system', actor };
}

const accessLogEntry = (e: AuditEntryView): AccessLogEntry => ({
  id: e.id, at: e.at, seq: e.seq, ...actorOf(e.actor), action: e.action, purpose: e.purpose, categories: e.categories, fields: e.fields,
});

/** The audit actor for everything the resident does themself. */
export const RESIDENT_SELF = 'resident:self';

export interface PortalDeps {
  db: Database;
  identity: IdentityService;
  residents: ResidentService;
  municipalities: MunicipalityService;
  sessions: ResidentSessionService;
  audit: AuditService;
  vault: VaultService;
  registration: RegistrationService;
  qr: QrService;
}

/**
 * The resident's own side of the platform: logging in with their card (card + PIN on their own
 * device, or touch only on a kiosk flow the municipality allows) and their My page.
 */
export class PortalService {
  constructor(private readonly deps: PortalDeps) {}

  /** The resident's own device has no staff: challenges are bound to the browser's pre-login token. */
  private selfCounter(touchToken: string, requestId: string): Counter {
    return { actor: RESIDENT_SELF, sessionToken: touchToken, requestId };
  }

  /** A login challenge for the resident's own device, bound to its `kazashi_touch` token. */
  async challenge(code: string, touchToken: string, requestId: string): Promise<ChallengeView> {
    await this.deps.municipalities.get(code);
    return this.deps.identity.createChallenge(this.selfCounter(touchToken, requestId), code, 'login');
  }

  /**
   * Card + PIN login on the resident's own device: the touch is verified (purpose `login`), the card
   * must be bound and active, and a new session begins (acr card-pin, channel web). Audited `portal.login`.
   */
  async login(code: string, input: VerifyInput, touchToken: string, requestId: string): Promise<BegunSession> {
    await this.deps.municipalities.get(code);
    const verified = await this.deps.identity.verify(this.selfCounter(touchToken, requestId), code, input);
    return this.begin(code, verified.cardKey, { acr: ACR.cardPin, channel: 'web', actor: RESIDENT_SELF, requestId });
  }

  /**
   * Kiosk touch-only login: staff who run kiosks (qr:validate) start a weaker session (acr
   * card-touch, channel kiosk) from the card's certificate alone, only on a flow the municipality
   * marked touch-only (`touch-only-not-allowed` otherwise, before the card is even checked).
   */
  async kioskTouch(staff: StaffPrincipal, code: string, flow: string, certificate: string, requestId: string): Promise<BegunSession> {
    assertMunicipalityCode(code);
    actFor(staff, code, 'qr:validate');
    if (!(await this.deps.municipalities.isTouchOnlyFlow(code, flow))) throw PortalErrors['touch-only-not-allowed']({ flow });
    const actor = `staff:${staff.loginName}`;
    const verified = await this.deps.identity.identify({ actor, staff, sessionToken: '', requestId }, code, certificate, `touch-only ${flow}`);
    return this.begin(code, verified.cardKey, { acr: ACR.cardTouch, channel: 'kiosk', actor: RESIDENT_SELF, requestId, flow, via: actor });
  }

  /** Starts a session for the resident an active card is bound to, with the login audited, in one transaction. */
  private begin(code: string, cardKey: string, how: { acr: Acr; channel: SessionChannel; actor: string; requestId: string; flow?: string; via?: string }): Promise<BegunSession> {
    const { db, identity, residents, sessions, audit, municipalities } = this.deps;
    return db.tenant({ municipalityCode: code }, async (tx) => {
      const binding = await identity.activeBindingIn(tx, code, cardKey);
      const r = await residents.getIn(tx, binding.residentId);
      if (!r?.residentNumber || r.status !== 'active') throw ResidentErrors['resident-not-found']();
      const s = await sessions.start(tx, { municipalityCode: code, residentId: r.id, acr: how.acr, channel: how.channel });
      await audit.append(tx, code, {
        actor: how.actor, action: 'portal.login', residentId: r.id,
        purpose: `login | ${how.acr} | ${how.channel}${how.flow ? ` | flow ${how.flow}` : ''}${how.via ? ` | by ${how.via}` : ''} | session ${s.sessionId}`, categories: [], fields: [], requestId: how.requestId,
      });
      const m = await municipalities.get(code, tx);
      return {
        token: s.token,
        view: {
          municipalityCode: code, municipalityName: { ja: m.nameJa, en: m.nameEn }, residentId: r.id, residentNumber: r.residentNumber,
          globalId: globalResidentId(code, r.residentNumber), acr: how.acr, authTime: s.authTime.toISOString(), expiresAt: s.expiresAt.toISOString(), csrfToken: s.csrfToken,
        },
      };
    });
  }

  /** The view of a live session (GET /api/resident/session). */
  async sessionView(p: ResidentPrincipal): Promise<ResidentSessionView> {
    const m = await this.deps.municipalities.get(p.municipalityCode);
    return {
      municipalityCode: p.municipalityCode, municipalityName: { ja: m.nameJa, en: m.nameEn }, residentId: p.residentId, residentNumber: p.residentNumber,
      globalId: globalResidentId(p.municipalityCode, p.residentNumber), acr: p.acr, authTime: p.authTime.toISOString(), expiresAt: p.expiresAt.toISOString(), csrfToken: p.csrfToken,
    };
  }

  /** A new login from a browser ends the session its old cookie named, if still live (no fixation). */
  async endPrevious(token: string, requestId: string): Promise<void> {
    const old = await this.deps.sessions.authenticate(token);
    if (old) await this.logout(old, requestId);
  }

  /** Logout: the session ends at once; audited. */
  async logout(p: ResidentPrincipal, requestId: string): Promise<void> {
    await this.deps.db.tenant({ municipalityCode: p.municipalityCode }, async (tx) => {
      await this.deps.sessions.endIn(tx, p.sessionId);
      await this.deps.audit.append(tx, p.municipalityCode, {
        actor: RESIDENT_SELF, action: 'portal.logout', residentId: p.residentId, purpose: `logout | session ${p.sessionId}`, categories: [], fields: [], requestId,
      });
    });
  }

  // --- My page: everything below acts only on the session's own resident and municipality ----------

  private self(p: ResidentPrincipal, requestId: string): SelfCaller {
    return { municipalityCode: p.municipalityCode, residentId: p.residentId, requestId };
  }

  /** Changes to what the resident shares need the card and its PIN, not a kiosk touch. */
  private requirePin(p: ResidentPrincipal) {
    if (p.acr !== ACR.cardPin) throw PortalErrors['card-pin-required']();
  }

  /** Session, profile (read from the vault, audited as resident:self), joined services and cards. */
  async me(p: ResidentPrincipal, requestId: string): Promise<MyPage> {
    const { csrfToken: _csrf, ...session } = await this.sessionView(p);
    const { vault, municipalities, identity, db } = this.deps;
    let profile: MyPage['profile'] = null;
    try {
      const basic = await vault.get({ municipalityCode: p.municipalityCode, actor: RESIDENT_SELF, purpose: 'my page', requestId }, p.residentId, 'basic');
      profile = { name: basic.nameKanji ?? null, address: basic.address ?? null, birthDate: basic.birthDate ?? null, sex: basic.sex ?? null };
    } catch (e) {
      if (!(e instanceof KazashiError && e.code === 'vault-record-not-found')) throw e;
    }
    const services = (await municipalities.joinedServices(p.municipalityCode)).map((id) => ({ id, joined: true as const }));
    const cards = (await db.tenant({ municipalityCode: p.municipalityCode }, (tx) => identity.bindingsIn(tx, p.municipalityCode, p.residentId)))
      .map((b) => ({ status: b.status, boundAt: b.boundAt, suspendedAt: b.suspendedAt }));
    return { session, profile, services, cards };
  }

  consents(p: ResidentPrincipal, requestId: string): Promise<ConsentView[]> {
    return this.deps.registration.ownConsents(this.self(p, requestId));
  }

  grantConsent(p: ResidentPrincipal, input: ConsentInput, requestId: string): Promise<ConsentView> {
    this.requirePin(p);
    return this.deps.registration.grantOwnConsent(this.self(p, requestId), input);
  }

  withdrawConsent(p: ResidentPrincipal, consentId: string, requestId: string): Promise<ConsentView> {
    this.requirePin(p);
    return this.deps.registration.withdrawOwnConsent(this.self(p, requestId), consentId);
  }

  exportConsents(p: ResidentPrincipal, requestId: string): Promise<ConsentExport> {
    return this.deps.registration.exportOwnConsents(this.self(p, requestId));
  }

  /** Who touched the resident's records (audit entries naming them), newest first, at most 200. */
  async accessLog(p: ResidentPrincipal, limit: number): Promise<AccessLogEntry[]> {
    return (await this.deps.audit.forResident(p.municipalityCode, p.residentId, limit)).map(accessLogEntry);
  }

  qrToken(p: ResidentPrincipal): Promise<QrTokenView> {
    return this.deps.qr.issueOwnToken(p);
  }

  /** Lost card: the resident suspends it themself; every session of theirs ends with it. Audited as resident:self. */
  async suspendCard(p: ResidentPrincipal, reason: string, requestId: string): Promise<CardBindingView> {
    const { db, identity, sessions } = this.deps;
    return db.tenant({ municipalityCode: p.municipalityCode }, async (tx) => {
      const b = await identity.suspendIn(tx, p.municipalityCode, p.residentId, reason, { actor: RESIDENT_SELF, requestId });
      await sessions.endAllIn(tx, p.municipalityCode, p.residentId);
      return b;
    });
  }
}
