import { useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { useSubmit } from '../../hooks/useSubmit';
import { formatDateTime } from '../../lib/format';
import { useLang } from '../../lib/localized';
import { Section } from '../../components/Section/Section';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button, SubmitButton } from '../../components/Button/Button';
import { TextField } from '../../components/Field/Field';
import { counterApi, type ResidentView } from './counterApi';
import { QrCardFace, QrCardPrintCopy, type PrintableQrCard } from './QrCardPrint';

export interface QrCardSectionProps {
  municipalityCode: string;
  municipality: Municipality | undefined;
  resident: ResidentView;
  onStatus: (message: string | null) => void;
}

interface IssuedCard extends PrintableQrCard {
  revokedAt: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Printable static QR cards: issue one (then print it), revoke one issued now, or revoke an earlier
 * one by the card number printed on it. The server keeps no list to show here: a card's token is
 * shown only when it is issued.
 */
export function QrCardSection({ municipalityCode, municipality, resident, onStatus }: QrCardSectionProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [cards, setCards] = useState<IssuedCard[]>([]);
  const [printId, setPrintId] = useState<string | null>(null);
  const issue = useSubmit();
  const revoke = useSubmit();
  const residentNumber = resident.residentNumber ?? '';
  const globalId = resident.globalId ?? resident.id;

  const issueCard = () =>
    issue.run(async () => {
      onStatus(null);
      const c = await counterApi.issueQrCard(municipalityCode, resident.id);
      setCards((prev) => [{ ...c, issuedAt: new Date().toISOString(), residentNumber, globalId, revokedAt: null }, ...prev]);
      setPrintId(c.cardId);
      onStatus(t('counter.qrCard.issued'));
    });

  const revokeCard = (cardId: string) =>
    revoke.run(async () => {
      onStatus(null);
      const r = await counterApi.revokeQrCard(municipalityCode, cardId);
      setCards((prev) => prev.map((c) => (c.cardId === r.cardId ? { ...c, revokedAt: r.revokedAt } : c)));
      onStatus(t('counter.qrCard.revoked', { id: r.cardId }));
    });

  const print = (cardId: string) => {
    // Render the print copy of this card before the print dialog takes its snapshot.
    flushSync(() => setPrintId(cardId));
    window.print();
  };

  const printed = cards.find((c) => c.cardId === printId && !c.revokedAt);

  return (
    <Section title={t('counter.qrCard.title')} level={3}>
      <p>{t('counter.qrCard.lead')}</p>
      <ProblemAlert error={issue.error} className="mt-3" />
      <Button onClick={() => void issueCard()} disabled={issue.busy || !resident.residentNumber} className="mt-4">
        {issue.busy ? t('counter.qrCard.issuing') : t('counter.qrCard.issue')}
      </Button>
      <ProblemAlert error={revoke.error} className="mt-3" />
      {cards.length > 0 && (
        <ul className="mt-4 flex flex-col gap-6">
          {cards.map((c) => (
            <li key={c.cardId} className="flex flex-col gap-3" data-testid="qr-card">
              {c.revokedAt ? (
                <p className="font-bold text-error-2">
                  {t('counter.qrCard.cardNumber')} <span className="font-mono break-all">{c.cardId}</span>:{' '}
                  {t('counter.qrCard.revokedAt', { time: formatDateTime(c.revokedAt, lang) })}
                </p>
              ) : (
                <>
                  <QrCardFace card={c} municipality={municipality} municipalityCode={municipalityCode} headingId={`qr-card-${c.cardId}`} />
                  <div className="flex flex-wrap gap-3">
                    <Button onClick={() => print(c.cardId)}>{t('counter.qrCard.print')}</Button>
                    <Button variant="danger" disabled={revoke.busy} onClick={() => void revokeCard(c.cardId)}>
                      {revoke.busy ? t('counter.qrCard.revoking') : t('counter.qrCard.revoke')}
                    </Button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {printed && <QrCardPrintCopy card={printed} municipality={municipality} municipalityCode={municipalityCode} />}
      <RevokeById municipalityCode={municipalityCode} onStatus={onStatus} onRevoked={(id, at) => setCards((prev) => prev.map((c) => (c.cardId === id ? { ...c, revokedAt: at } : c)))} />
    </Section>
  );
}

interface RevokeByIdProps {
  municipalityCode: string;
  onStatus: (message: string | null) => void;
  onRevoked: (cardId: string, revokedAt: string) => void;
}

/** Revokes a card issued earlier (lost card) by the card number printed on it. */
function RevokeById({ municipalityCode, onStatus, onRevoked }: RevokeByIdProps) {
  const { t } = useTranslation();
  const [cardId, setCardId] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { busy, error, onSubmit } = useSubmit();
  const id = 'qr-card-revoke-id';

  const check = () => {
    const ok = UUID.test(cardId.trim());
    setInvalid(!ok);
    return ok;
  };
  const revoke = async () => {
    onStatus(null);
    const r = await counterApi.revokeQrCard(municipalityCode, cardId.trim().toLowerCase());
    setCardId('');
    onRevoked(r.cardId, r.revokedAt);
    onStatus(t('counter.qrCard.revoked', { id: r.cardId }));
  };

  return (
    <details className="mt-6 rounded-12 border border-solid-gray-420 p-4">
      <summary className="min-h-11 cursor-pointer py-2 text-std-17B-170 text-blue-1000 underline underline-offset-[3px]">
        {t('counter.qrCard.revokeByIdTitle')}
      </summary>
      <form onSubmit={onSubmit(revoke, check)} noValidate className="mt-3 flex flex-col gap-4">
        <ProblemAlert error={error} />
        <TextField
          id={id}
          label={t('counter.qrCard.revokeById')}
          hint={t('counter.qrCard.revokeByIdHint')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={40}
          value={cardId}
          aria-invalid={invalid}
          aria-errormessage={invalid ? `${id}-error` : undefined}
          onChange={(e) => {
            setCardId(e.currentTarget.value);
            setInvalid(false);
          }}
          className="font-mono"
        />
        {invalid && (
          <p id={`${id}-error`} role="alert" className="text-std-16B-170 text-error-2">
            {t('counter.qrCard.revokeByIdInvalid')}
          </p>
        )}
        <SubmitButton busy={busy} busyLabel={t('counter.qrCard.revoking')} variant="danger" className="self-start">
          {t('counter.qrCard.revokeByIdSubmit')}
        </SubmitButton>
      </form>
    </details>
  );
}
