/**
 * The kiosk page ↔ card agent wire format, as the page sees it. It mirrors
 * packages/card-agent/src/protocol.ts (the agent's side): JSON text frames over
 * ws://127.0.0.1:<port>, first `hello` with the pairing token, then `ready`, events, and
 * requests with an id that get exactly one reply with the same id.
 */

/** A card reader the agent sees. */
export interface AgentReader {
  name: string;
  cardPresent: boolean;
}

/** What the agent announces after pairing. */
export type AgentEventName = 'card-inserted' | 'card-removed' | 'reader-attached' | 'reader-detached';

/** The basic four (基本4情報) from the card's 券面事項入力補助 AP. `birthDate` is `YYYY-MM-DD`. */
export interface BasicFour {
  name: string;
  address: string;
  birthDate: string;
  sex: 'male' | 'female' | 'other';
}

/** Result of `identify`: the user-authentication certificate, no PIN needed. */
export interface IdentifyResult {
  /** base64 DER */
  certificate: string;
  exchanges: number;
}

/** Result of `authenticate`: the certificate and its signature over the challenge bytes. */
export interface AuthenticateResult {
  /** base64 DER of the user-authentication certificate */
  certificate: string;
  /** base64 RSASSA-PKCS1-v1_5 SHA-256 signature over the challenge bytes */
  signature: string;
  exchanges: number;
}

/** The error body of a failed reply. */
export interface AgentErrorBody {
  code: string;
  triesLeft?: number;
  messages: { ja: string; en: string };
}

/** Frames the agent sends. */
export type AgentFrame =
  | { type: 'ready'; readers: AgentReader[] }
  | { type: 'event'; event: AgentEventName; reader: string }
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: AgentErrorBody };

/** Requests the page sends (without the id, which the client adds). */
export type AgentRequest =
  | { op: 'readers' }
  | { op: 'identify'; reader?: string }
  | { op: 'authenticate'; reader?: string; challenge: string; pin: string; allowLastTry?: boolean }
  | { op: 'readBasicFour'; reader?: string; pin: string; allowLastTry?: boolean };

/** The agent's default port (packages/card-agent/src/cli.ts). */
export const DEFAULT_AGENT_PORT = 48771;
