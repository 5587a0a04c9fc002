import crypto from 'node:crypto';
import type { Database, Tx } from '../kernel/db/engine.js';
import { ACR, type Acr, type ResidentPrincipal } from '../kernel/residentCaller.js';
import { residentSessionRepository } from './repository.js';

export interface ResidentSessionPolicy {
  /** Absolute lifetime of a session begun on the resident's own device. */
  residentSessionMinutes: number;
  /** Absolute lifetime of a session begun at a kiosk (a shared device). */
  kioskSessionMinutes: number;
}

/** Where a session began. */
export type SessionChannel = 'web' | 'kiosk' | 'counter';

export interface StartedSession {
  sessionId: string;
  /** The cookie value; only its hash is stored. */
  token: string;
  csrfToken: string;
  authTime: Date;
  expiresAt: Date;
}

const ACRS = new Set<string>(Object.values(ACR));

/** Domain-separated from the staff session's and the challenge binding's hashes. */
const tokenHash = (token: string) => crypto.createHash('sha256').update('kazashi resident session\0').update(token).digest('hex');

/**
 * Resident sessions (My page, OIDC login): started by a verified card touch, known by a random cookie
 * token kept only as a hash, with an absolute lifetime (short on kiosks), ended on logout, on a new
 * login from the same browser, and when the resident suspends their card.
 */
export class ResidentSessionService {
  constructor(private readonly db: Database, readonly policy: ResidentSessionPolicy, private readonly repo: typeof residentSessionRepository = residentSessionRepository) {}

  /** The live session behind a cookie token, in one query; undefined if none, ended, expired or the resident is not active. */
  async authenticate(token: string): Promise<ResidentPrincipal | undefined> {
    if (!token || token.length > 200) return undefined;
    const row = await this.db.lookup((db) => this.repo.principal(db as unknown as Tx, tokenHash(token)));
    if (!row || !ACRS.has(row.acr)) return undefined;
    return {
      sessionId: row.session_id, municipalityCode: row.municipality_code, residentId: row.resident_id, residentNumber: row.resident_number,
      acr: row.acr as Acr, channel: row.channel, authTime: new Date(row.auth_time), expiresAt: new Date(row.expires_at), csrfToken: row.csrf_token,
    };
  }

  /**
   * Starts a session inside the caller's transaction (acting for `municipalityCode`), always with a
   * fresh token: a login never keeps a token the browser had before (no session fixation).
   */
  async start(tx: Tx, s: { municipalityCode: string; residentId: string; acr: Acr; channel: SessionChannel }): Promise<StartedSession> {
    const token = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    const authTime = new Date();
    const minutes = s.channel === 'kiosk' ? this.policy.kioskSessionMinutes : this.policy.residentSessionMinutes;
    const expiresAt = new Date(authTime.getTime() + minutes * 60_000);
    const { id } = await this.repo.insert(tx, {
      tokenHash: tokenHash(token), municipalityCode: s.municipalityCode, residentId: s.residentId, csrfToken, acr: s.acr, channel: s.channel,
      createdAt: authTime, lastSeenAt: authTime, expiresAt,
    });
    return { sessionId: id, token, csrfToken, authTime, expiresAt };
  }

  /** Ends one session (logout), in a transaction of its own. */
  async end(session: Pick<ResidentPrincipal, 'municipalityCode' | 'sessionId'>): Promise<void> {
    await this.db.tenant({ municipalityCode: session.municipalityCode }, (tx) => this.repo.end(tx, session.sessionId, new Date()));
  }

  /** Ends one session inside the caller's transaction (acting for its municipality). */
  async endIn(tx: Tx, sessionId: string): Promise<void> {
    await this.repo.end(tx, sessionId, new Date());
  }

  /** Ends the session behind a cookie token, if it is live (a new login from the same browser). */
  async endToken(token: string): Promise<void> {
    const live = await this.authenticate(token);
    if (live) await this.end(live);
  }

  /**
   * Whether the resident's session that began at `authTime` (whole seconds, as an OIDC login records
   * it) is still live: what a login at the OIDC provider rides on.
   */
  async isLive(code: string, residentId: string, authTime: number): Promise<boolean> {
    return this.db.tenant({ municipalityCode: code }, (tx) => this.repo.liveBegunAt(tx, code, residentId, new Date(authTime * 1000), new Date()));
  }

  /** Ends every session of the resident inside the caller's transaction (e.g. their card was suspended). */
  async endAllIn(tx: Tx, code: string, residentId: string): Promise<number> {
    return this.repo.endAllOf(tx, code, residentId, new Date());
  }
}
