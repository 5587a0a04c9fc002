import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../components/Button/Button';
import { useCardAgent } from './CardAgentProvider';

/**
 * What to do before a card can be read, in large plain words: wait for the agent, ask staff, or
 * 「カードをリーダーに置いてください」 (「…もう一度…」 after the card came off). Renders nothing
 * once a card is on the reader. Announced politely to screen readers.
 */
export function CardAgentStatusPanel() {
  const { t } = useTranslation();
  const { status, reconnect } = useCardAgent();
  // Whether a card has been on the reader since this panel appeared: waiting again then means the card
  // came off ("put it back"). Noted while rendering, as React suggests for information from earlier renders.
  const [hadCard, setHadCard] = useState(false);
  if (status === 'card-present' && !hadCard) setHadCard(true);

  const waiting = status === 'no-card';
  const problem = status === 'not-configured' || status === 'no-agent' || status === 'unpaired' || status === 'no-reader';

  return (
    <div role="status" aria-live="polite">
      {status !== 'card-present' && (
        <div
          className={`flex flex-col items-center gap-4 rounded-16 border-2 px-4 py-8 text-center ${
            problem ? 'border-error-1 bg-red-50' : 'border-blue-900 bg-blue-50'
          }`}
        >
          {waiting && (
            <svg aria-hidden="true" viewBox="0 0 96 64" className="h-20 w-32 text-blue-900">
              <rect x="4" y="36" width="88" height="24" rx="4" fill="currentColor" opacity="0.25" />
              <rect x="20" y="6" width="56" height="36" rx="4" fill="white" stroke="currentColor" strokeWidth="3" />
              <circle cx="34" cy="22" r="6" fill="currentColor" />
              <path d="M46 18h22M46 26h16" stroke="currentColor" strokeWidth="3" />
            </svg>
          )}
          <p className="text-std-24B-150 sm:text-std-28B-150">
            {waiting && hadCard ? t('resident.cardAgent.putBack') : t(`resident.cardAgent.status.${status}`)}
          </p>
          {waiting && <p className="text-std-18N-160">{t('resident.cardAgent.placeCardHint')}</p>}
          {(status === 'no-agent' || status === 'unpaired') && (
            <Button variant="secondary" onClick={reconnect}>
              {t('resident.cardAgent.retry')}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
