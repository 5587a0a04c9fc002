import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { AuditService } from '../audit/index.js';
import type { Database, TenantContext, Tx } from '../kernel/db/engine.js';
import { isUniqueViolation } from '../kernel/db/errors.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import { openString, sealString } from '../kernel/secrets.js';
import { StaffErrors } from './errors.js';
import { actFor, isPlatformAdmin, ROLES, type Role, type StaffPrincipal } from '../kernel/callers.js';
import { staffRepository, type StaffRow } from './repository.js';
import { newTotpSecret, totpCode, totpStep, totpUri } from './totp.js';
import type { StaffAccount, StaffCreated, StaffCreateRequest, StaffLoginRequest, StaffPatch } from './contract.js';

export interface StaffPolicy {
  sessionTtlMinutes: number;
  loginMaxAttempts: number;
  lockoutMinutes: number;
  /** How long this instance may reuse a looked-up session (0: look up on every request). */
  sessionCacheMs?: number;
}

type CachedSession = { session: Omit<StaffSession, 'token'>; until: number };

/** A staff account as the API shows it (./contract.ts). */
export type StaffView = StaffAccount;

export interface StaffSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  staff: StaffPrincipal;
}

const view = (s: StaffRow): StaffView => ({
  id: s.id, loginName: s.loginName, displayName: s.displayName, municipalityCode: s.municipalityCode, roles: s.roles as Role[],
  totpEnrolled: s.totpEnrolled, lockedUntil: s.lockedUntil && s.lockedUntil > new Date() ? s.lockedUntil.toISOString() : null, disabled: s.disabled,
});

const principal = (s: StaffRow): StaffPrincipal => ({
  id: s.id, loginName: s.loginName, displayName: s.displayName, municipalityCode: s.municipalityCode, roles: s.roles as Role[],
});

const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const PRE_TENANT: TenantContext = { municipalityCode: null };
// Verified against when the login name is unknown, so both paths cost one argon2 verification.
const DUMMY_HASH = argonHash('kazashi-timing-equaliser');

function lockTime(d: Date): string {
  return d.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' });
}

export class StaffService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly secret: Buffer,
    private readonly policy: StaffPolicy,
    private readonly repo: typeof staffRepository = staffRepository,
  ) {}

  private sealTotp(staffId: string, secret: string) { return sealString(this.secret, secret, `totp|${staffId}`); }
  private openTotp(s: StaffRow) { return openString(this.secret, s.totpSecretEnc, `totp|${s.id}`); }

  /**
   * Password + TOTP login. Failures count towards a lockout; the counters are committed even though
   * the call then fails, which is why the decision is returned from the transaction and thrown after it.
   */
  async login(input: StaffLoginRequest, requestId: string): Promise<StaffSession> {
    const found = await this.db.tenant(PRE_TENANT, (tx) => this.repo.lookupLogin(tx, input.loginName));
    if (!found) {
      await argonVerify(await DUMMY_HASH, input.password).catch(() => false);
      throw StaffErrors['invalid-credentials']();
    }
    const code = found.municipality_code;
    const now = new Date();
    const outcome = await this.db.tenant({ municipalityCode: code }, async (tx) => {
      const s = (await this.repo.get(tx, found.staff_id))!;
      if (s.lockedUntil && s.lockedUntil > now) return { fail: StaffErrors['account-locked']({ until: lockTime(s.lockedUntil) }) };
      const passwordOk = await argonVerify(s.passwordHash, input.password).catch(() => false);
      if (passwordOk && !input.totp) return { fail: StaffErrors['totp-required']() };
      const step = passwordOk && input.totp ? totpStep(this.openTotp(s), input.totp, now.getTime()) : null;
      const ok = passwordOk && !s.disabled && step !== null && step > s.lastTotpStep;
      if (!ok) {
        const attempts = s.failedAttempts + 1;
        if (attempts >= this.policy.loginMaxAttempts) {
          const until = new Date(now.getTime() + this.policy.lockoutMinutes * 60_000);
          await this.repo.update(tx, s.id, { failedAttempts: 0, lockedUntil: until });
          return { fail: StaffErrors['account-locked']({ until: lockTime(until) }) };
        }
        await this.repo.update(tx, s.id, { failedAttempts: attempts });
        return { fail: passwordOk && !s.disabled ? StaffErrors['invalid-totp']() : StaffErrors['invalid-credentials']() };
      }
      await this.repo.update(tx, s.id, { failedAttempts: 0, lockedUntil: null, lastTotpStep: step!, totpEnrolled: true });
      const token = crypto.randomBytes(32).toString('base64url');
      const csrfToken = crypto.randomBytes(24).toString('base64url');
      const expiresAt = new Date(now.getTime() + this.policy.sessionTtlMinutes * 60_000);
      await this.repo.insertSession(tx, { tokenHash: tokenHash(token), staffId: s.id, municipalityCode: code, csrfToken, expiresAt });
      await this.audit.append(tx, code, { actor: `staff:${s.loginName}`, action: 'staff.login', purpose: 'staff authentication', categories: [], fields: [], requestId });
      return { session: { token, csrfToken, expiresAt, staff: principal(s) } };
    });
    if ('fail' in outcome) throw outcome.fail;
    return outcome.session;
  }

  /**
   * The session behind a cookie token (one query), sliding its expiry once half of it has passed;
   * undefined if there is none, it expired, or the account is disabled.
   */
  async authenticate(token: string): Promise<(Omit<StaffSession, 'token'> & { extended?: boolean }) | undefined> {
    const h = tokenHash(token);
    // A shelter kiosk sends many requests a second: reuse a lookup briefly. A logout, disable or role
    // change on this instance clears the cache at once; other instances follow within sessionCacheMs.
    const cacheMs = this.policy.sessionCacheMs ?? 0;
    const now = Date.now();
    const hit = cacheMs > 0 ? this.sessionCache.get(h) : undefined;
    if (hit && hit.until > now && hit.session.expiresAt.getTime() > now) return hit.session;
    const row = await this.db.lookup((db) => this.repo.sessionPrincipal(db as unknown as Tx, h));
    if (!row) return undefined;
    const staff: StaffPrincipal = {
      id: row.staff_id, loginName: row.login_name, displayName: row.display_name, municipalityCode: row.municipality_code, roles: row.roles as Role[],
    };
    const ttl = this.policy.sessionTtlMinutes * 60_000;
    let expiresAt = new Date(row.expires_at);
    let extended = false;
    if (expiresAt.getTime() - Date.now() < ttl / 2) {
      expiresAt = new Date(Date.now() + ttl);
      await this.db.tenant({ municipalityCode: row.municipality_code }, (tx) => this.repo.extendSession(tx, h, expiresAt));
      extended = true;
    }
    const session = { csrfToken: row.csrf_token, expiresAt, staff };
    if (cacheMs > 0) {
      if (this.sessionCache.size >= 10_000) this.sessionCache.clear();
      this.sessionCache.set(h, { session, until: now + cacheMs });
    }
    // `extended`: the cookie's expiry must follow (see staffGuard).
    return extended ? { ...session, extended } : session;
  }

  private readonly sessionCache = new Map<string, CachedSession>();

  /** Forget every cached session (after anything that ends or changes sessions). */
  private forgetSessions(): void {
    this.sessionCache.clear();
  }

  async logout(token: string, code: string): Promise<void> {
    this.forgetSessions();
    await this.db.tenant({ municipalityCode: code }, (tx) => this.repo.deleteSession(tx, tokenHash(token)));
  }

  async list(p: StaffPrincipal, code: string): Promise<StaffView[]> {
    assertMunicipalityCode(code);
    return (await this.db.tenant(actFor(p, code, 'staff:manage'), (tx) => this.repo.list(tx, code))).map(view);
  }

  private assertGrantable(p: StaffPrincipal | 'system', roles: Role[]) {
    if (p === 'system' || isPlatformAdmin(p)) return;
    const forbidden = roles.find((r) => r === 'platform_admin');
    if (forbidden) throw StaffErrors['role-not-allowed']({ role: forbidden });
  }

  /** Creates an account with a fresh TOTP secret, returned once so it can be enrolled in an authenticator app. */
  async create(p: StaffPrincipal | 'system', code: string, input: StaffCreateRequest): Promise<StaffCreated> {
    assertMunicipalityCode(code);
    if (input.password.length < 12) throw StaffErrors['weak-password']();
    const roles = [...new Set(input.roles)].filter((r) => (ROLES as readonly string[]).includes(r));
    this.assertGrantable(p, roles);
    const ctx = p === 'system' ? { municipalityCode: code } : actFor(p, code, 'staff:manage');
    const taken = await this.db.tenant(PRE_TENANT, (tx) => this.repo.lookupLogin(tx, input.loginName));
    if (taken) throw StaffErrors['login-name-taken']({ loginName: input.loginName });
    const id = crypto.randomUUID();
    const totpSecret = newTotpSecret();
    const passwordHash = await argonHash(input.password);
    const row = await this.db.tenant(ctx, (tx) => this.repo.insert(tx, {
      id, municipalityCode: code, loginName: input.loginName, displayName: input.displayName, roles, passwordHash,
      totpSecretEnc: this.sealTotp(id, totpSecret),
    })).catch((e: unknown) => {
      if (isUniqueViolation(e)) throw StaffErrors['login-name-taken']({ loginName: input.loginName });
      throw e;
    });
    return { staff: view(row), totpSecret, totpUri: totpUri(totpSecret, input.loginName) };
  }

  async update(p: StaffPrincipal, code: string, id: string, patch: StaffPatch): Promise<StaffView> {
    this.forgetSessions();
    assertMunicipalityCode(code);
    if (patch.roles) this.assertGrantable(p, patch.roles);
    return this.db.tenant(actFor(p, code, 'staff:manage'), async (tx) => {
      const row = await this.repo.update(tx, id, patch);
      if (!row) throw StaffErrors['staff-not-found']();
      if (patch.disabled) await this.repo.deleteSessionsOf(tx, id);
      return view(row);
    });
  }

  /** Demo convenience for the CLI: the current code of an account (the CLI refuses this in production). */
  async currentDemoTotp(loginName: string): Promise<string> {
    const found = await this.db.tenant(PRE_TENANT, (tx) => this.repo.lookupLogin(tx, loginName));
    if (!found) throw StaffErrors['staff-not-found']();
    const row = await this.db.tenant({ municipalityCode: found.municipality_code }, (tx) => this.repo.get(tx, found.staff_id));
    return totpCode(this.openTotp(row!));
  }

  async unlock(p: StaffPrincipal, code: string, id: string): Promise<StaffView> {
    assertMunicipalityCode(code);
    return this.db.tenant(actFor(p, code, 'staff:manage'), async (tx) => {
      const row = await this.repo.update(tx, id, { lockedUntil: null, failedAttempts: 0 });
      if (!row) throw StaffErrors['staff-not-found']();
      return view(row);
    });
  }
}
