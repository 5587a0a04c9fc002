import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCardAgent } from './CardAgentProvider';
import { CardAgentStatusPanel } from './CardAgentStatusPanel';
import { PinForm } from './PinForm';

/** A challenge from the server: POST …/identity/challenges or POST /api/resident/challenges. */
export interface CardChallenge {
  challengeId: string;
  /** base64url of the bytes to sign */
  challenge: string;
}

/** What the card produced: send it to the server's verify / login / registration endpoint. */
export interface CardTouchResult {
  challengeId: string;
  /** base64 DER of the user-authentication certificate */
  certificate: string;
  /** base64 signature over the challenge bytes */
  signature: string;
}

export interface CardTouchProps {
  /** Fetches a fresh single-use challenge (called once per PIN attempt, after the PIN was typed). */
  getChallenge: () => Promise<CardChallenge>;
  /**
   * Receives the signed challenge. May call the server; whatever it throws (a ProblemError) is
   * shown above the PIN field and the resident can try again.
   */
  onAuthenticated: (result: CardTouchResult) => Promise<void> | void;
  /** The button label (default 「確認する」). */
  submitLabel?: ReactNode;
  /** Shown above the PIN field once the card is on the reader. */
  children?: ReactNode;
}

/**
 * Card touch + 利用者証明用電子証明書 PIN, for any screen that needs a resident to prove who they
 * are with their My Number Card. Must be inside a {@link CardAgentProvider}.
 *
 * Shows 「カードをリーダーに置いてください」 until a card is on the reader, then asks the 4-digit
 * PIN; on submit gets a challenge from `getChallenge()`, has the card sign it through the agent and
 * hands `{ certificate, signature, challengeId }` to `onAuthenticated`. A wrong PIN shows the tries
 * left; with one try left the resident must tick a confirmation before the PIN is sent (with
 * `allowLastTry`); a locked PIN sends them to the municipal office; a card taken off the reader
 * is asked back.
 *
 * @example
 * ```tsx
 * <CardAgentProvider>
 *   <CardTouch
 *     getChallenge={() => api.residentChallenge(code)}
 *     onAuthenticated={async (r) => setSession(await api.residentLogin({ municipalityCode: code, purpose: 'login', ...r }))}
 *   />
 * </CardAgentProvider>
 * ```
 */
export function CardTouch({ getChallenge, onAuthenticated, submitLabel, children }: CardTouchProps) {
  const { t } = useTranslation();
  const agent = useCardAgent();

  const send = async (pin: string, allowLastTry: boolean) => {
    const { challengeId, challenge } = await getChallenge();
    const { certificate, signature } = await agent.authenticate({ challenge, pin, allowLastTry });
    await onAuthenticated({ challengeId, certificate, signature });
  };

  return (
    <div className="flex flex-col gap-6">
      <CardAgentStatusPanel />
      {agent.status === 'card-present' && (
        <PinForm kind="auth" submitLabel={submitLabel ?? t('resident.cardAgent.submitAuth')} onSubmit={send}>
          {children}
        </PinForm>
      )}
    </div>
  );
}
