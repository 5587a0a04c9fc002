/**
 * The kiosk page ↔ card agent protocol (packages/card-agent speaks it, packages/web's kiosk pages
 * talk it): JSON text frames over a WebSocket on 127.0.0.1.
 *
 * 1. The page connects from an allowed origin and sends `{ "type": "hello", "token": "<pairing token>" }`.
 * 2. The agent answers `{ "type": "ready", "readers": [...] }` and from then on sends events
 *    `{ "type": "event", "event": "card-inserted" | "card-removed" | "reader-attached" | "reader-detached", "reader": "..." }`.
 * 3. Requests carry an id and get exactly one reply with that id:
 *    `{ "id": 1, "op": "identify", "reader": "..." }` → `{ "id": 1, "ok": true, "result": { "certificate": "<base64 DER>", "exchanges": 3 } }`
 *    `{ "id": 2, "op": "authenticate", "reader": "...", "challenge": "<base64url>", "pin": "1234", "allowLastTry": false }`
 *       → `{ "id": 2, "ok": true, "result": { "certificate": "...", "signature": "<base64>", "exchanges": 7 } }`
 *    `{ "id": 3, "op": "readBasicFour", "reader": "...", "pin": "1234" }` → `{ ..., "result": { "name", "address", "birthDate", "sex" } }`
 *    `{ "id": 4, "op": "readers" }` → `{ ..., "result": { "readers": [{ "name", "cardPresent" }] } }`
 *    Failure: `{ "id": n, "ok": false, "error": { "code": "wrong-pin", "triesLeft": 2, "messages": { "ja", "en" } } }`.
 * PINs travel only inside a request frame; the agent never logs or keeps them.
 */

/** The agent's default port. */
export const DEFAULT_AGENT_PORT = 48771;

export type AgentOperation = 'readers' | 'identify' | 'authenticate' | 'readBasicFour';

export interface AgentHello {
  type: 'hello';
  token: string;
}

/** Requests as the page composes them; the client adds the id. */
export type AgentRequest =
  | { op: 'readers' }
  | { op: 'identify'; reader?: string }
  | { op: 'authenticate'; reader?: string; challenge: string; pin: string; allowLastTry?: boolean }
  | { op: 'readBasicFour'; reader?: string; pin: string; allowLastTry?: boolean };

/** A request frame on the wire. */
export type AgentRequestFrame = AgentRequest & { id: number };

/** A card reader the agent sees. */
export interface AgentReader {
  name: string;
  cardPresent: boolean;
}

/** What the agent announces after pairing. */
export type AgentEventName = 'card-inserted' | 'card-removed' | 'reader-attached' | 'reader-detached';

/** The basic four (基本4情報) from the card's 券面事項入力補助 AP. `birthDate` is `YYYY-MM-DD`. */
export interface AgentBasicFour {
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

export type AgentReply = { id: number; ok: true; result: unknown } | { id: number | null; ok: false; error: AgentErrorBody };

/** Frames the agent sends. */
export type AgentFrame =
  | { type: 'ready'; readers: AgentReader[] }
  | { type: 'event'; event: AgentEventName; reader: string }
  | AgentReply;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown) => v === undefined || (typeof v === 'string' && v.length <= 200);

/** Parses one request frame (the agent's side); returns what is wrong instead of throwing. */
export function parseAgentRequest(text: string): AgentRequestFrame | { invalid: string; id: number | null } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { invalid: 'not JSON', id: null };
  }
  if (!isObject(v)) return { invalid: 'not an object', id: null };
  const id = Number.isSafeInteger(v.id) ? (v.id as number) : null;
  if (id === null) return { invalid: 'id must be an integer', id: null };
  if (!optionalString(v.reader)) return { invalid: 'reader must be a string', id };
  switch (v.op) {
    case 'readers':
      return { id, op: 'readers' };
    case 'identify':
      return { id, op: 'identify', reader: v.reader as string | undefined };
    case 'authenticate':
      if (typeof v.challenge !== 'string' || !/^[A-Za-z0-9_-]{16,200}={0,2}$/.test(v.challenge)) return { invalid: 'challenge must be base64url (16–200 chars)', id };
      if (typeof v.pin !== 'string') return { invalid: 'pin must be a string', id };
      return { id, op: 'authenticate', reader: v.reader as string | undefined, challenge: v.challenge, pin: v.pin, allowLastTry: v.allowLastTry === true };
    case 'readBasicFour':
      if (typeof v.pin !== 'string') return { invalid: 'pin must be a string', id };
      return { id, op: 'readBasicFour', reader: v.reader as string | undefined, pin: v.pin, allowLastTry: v.allowLastTry === true };
    default:
      return { invalid: 'unknown op', id };
  }
}
