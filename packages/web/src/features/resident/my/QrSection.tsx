import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { residentApi, type QrToken } from '../../../api/resident';
import { Section } from '../../../components/Section/Section';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';

/** How long a token is shown before the next one is asked for (at least 5 s). */
const periodOf = (tok: QrToken) => Math.max(5, Math.round(tok.refreshInSeconds));

async function issueQr(): Promise<{ token: QrToken; src: string }> {
  const token = await residentApi.qrToken();
  const QRCode = await import('qrcode');
  const svg = await QRCode.toString(token.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return { token, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` };
}

/**
 * The resident's rotating QR code (POST /api/resident/me/qr-token), drawn with `qrcode`. Shown on
 * request only (each token is issued and audited); renewed by itself every `refreshInSeconds`,
 * with a visible countdown. Screen readers hear the renewal, not every second.
 */
export function QrSection() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  // Each showing is a query of its own: showing again never draws the last showing's (spent) token.
  const [showing, setShowing] = useState(0);
  const qr = useQuery({ queryKey: ['resident', 'qr-token', showing], queryFn: issueQr, enabled: shown });
  const { data, refetch } = qr;
  const error = qr.isFetching ? undefined : (qr.error ?? undefined);

  // The countdown of the token on screen; a new token starts again from its full period.
  const [countdown, setCountdown] = useState<{ token: QrToken; left: number } | null>(null);
  const left = data ? (countdown?.token === data.token ? countdown.left : periodOf(data.token)) : 0;

  // The first token of a showing arrives quietly; each renewal after it is announced.
  const [firstToken, setFirstToken] = useState<{ showing: number; token: QrToken } | null>(null);
  if (data && firstToken?.showing !== showing) setFirstToken({ showing, token: data.token });
  const announce = data && firstToken?.showing === showing && firstToken.token !== data.token ? t('resident.my.qrRefreshed') : '';

  // Count down each second; at zero, ask for the next token.
  useEffect(() => {
    if (!shown || !data) return;
    const token = data.token;
    let n = periodOf(token);
    const timer = setInterval(() => {
      n = Math.max(0, n - 1);
      setCountdown({ token, left: n });
      if (n === 0) {
        clearInterval(timer);
        void refetch();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [shown, data, refetch]);

  const toggle = () => {
    if (!shown) setShowing((n) => n + 1);
    setShown(!shown);
  };
  const src = shown ? data?.src : undefined;

  return (
    <Section title={t('resident.my.qrTitle')}>
      <p className="text-std-18N-160">{t('resident.my.qrLead')}</p>
      <Button
        variant={shown ? 'secondary' : 'primary'}
        className="mt-3 min-h-14 px-8"
        aria-expanded={shown}
        aria-controls="my-qr"
        onClick={toggle}
      >
        {shown ? t('resident.my.qrHide') : t('resident.my.qrShow')}
      </Button>
      <div id="my-qr" className="mt-4">
        <ProblemAlert error={error} />
        {src && (
          <figure className="flex flex-col items-center gap-3 sm:items-start">
            <img src={src} alt={t('resident.my.qrAlt')} className="aspect-square w-64 max-w-full border border-solid-gray-420 [image-rendering:pixelated] sm:w-80" />
            <figcaption className="text-std-18B-160" aria-hidden="true">
              {t('resident.my.qrCountdown', { seconds: left })}
            </figcaption>
          </figure>
        )}
        <p role="status" aria-live="polite" className="sr-only">
          {announce}
        </p>
      </div>
    </Section>
  );
}
