import type { AgentErrorBody } from './protocol';

/**
 * Stable codes of card agent failures. From the card (@kazashi/jpki, kebab-cased by the agent),
 * from the agent itself, and from this client (`agent-unavailable`, `timeout`, `different-card`).
 */
export type CardAgentErrorCode =
  // the card and its PINs
  | 'wrong-pin'
  | 'pin-locked'
  | 'last-try-refused'
  | 'invalid-pin-format'
  | 'not-a-my-number-card'
  | 'card-removed'
  | 'reader-unavailable'
  | 'malformed-response'
  | 'card-status'
  | 'security-status-not-satisfied'
  // the agent
  | 'not-paired'
  | 'bad-request'
  | 'no-reader'
  | 'unknown-reader'
  | 'reader-busy'
  | 'internal'
  // this client
  | 'agent-unavailable'
  | 'timeout'
  | 'different-card';

const CLIENT_MESSAGES = {
  'agent-unavailable': {
    ja: 'カードリーダーのソフトウェアに接続できません。',
    en: 'Cannot reach the card reader software (card agent).',
  },
  timeout: { ja: 'カードの処理に時間がかかりすぎました。', en: 'The card took too long to answer.' },
  'different-card': {
    ja: '最初に確認したカードとは別のカードです。同じカードをリーダーに置いてください。',
    en: 'This is not the card that was confirmed first. Please place the same card on the reader.',
  },
} as const;

/**
 * A failed card agent operation. `code` is stable; `triesLeft` is set for `wrong-pin` (and 1 for
 * `last-try-refused`); `messages` holds the agent's Japanese and English text.
 *
 * @example
 * ```ts
 * try { await agent.authenticate({ challenge, pin }); }
 * catch (e) { if (isCardAgentError(e) && e.code === 'wrong-pin') show(e.triesLeft); }
 * ```
 */
export class CardAgentError extends Error {
  readonly code: CardAgentErrorCode | (string & {});
  readonly triesLeft: number | undefined;
  readonly messages: { ja: string; en: string };

  constructor(body: AgentErrorBody) {
    super(body.messages.en);
    this.name = 'CardAgentError';
    this.code = body.code;
    this.triesLeft = body.code === 'last-try-refused' ? (body.triesLeft ?? 1) : body.triesLeft;
    this.messages = body.messages;
  }

  /** An error raised by this client (not by the agent). */
  static local(code: keyof typeof CLIENT_MESSAGES): CardAgentError {
    return new CardAgentError({ code, messages: { ...CLIENT_MESSAGES[code] } });
  }
}

export function isCardAgentError(e: unknown): e is CardAgentError {
  return e instanceof CardAgentError;
}
