import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentApi, type QrToken } from '../../api/resident';
import { Section } from '../../components/Section/Section';
import { Button } from '../../components/Button/Button';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';

/**
 * The resident's rotating QR code (POST /api/resident/me/qr-token), drawn with `qrcode`. Shown on
 * request only (each token is issued and audited); renewed by itself every `refreshInSeconds`,
 * with a visible countdown. Screen readers hear the renewal, not every second.
 */
export function QrSection() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const [token, setToken] = useState<QrToken | null>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [left, setLeft] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const [announce, setAnnounce] = useState('');
  const [round, setRound] = useState(0);
  const first = useRef(true);

  // Fetch a token whenever shown, and again on each round.
  useEffect(() => {
    if (!shown) {
      setToken(null);
      setSrc(null);
      first.current = true;
      return;
    }
    let live = true;
    setError(undefined);
    residentApi.qrToken().then(
      async (tok) => {
        const QRCode = await import('qrcode');
        const svg = await QRCode.toString(tok.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
        if (!live) return;
        setToken(tok);
        setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
        setLeft(Math.max(5, Math.round(tok.refreshInSeconds)));
        if (!first.current) setAnnounce(t('resident.my.qrRefreshed'));
        first.current = false;
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [shown, round, t]);

  // Count down; at zero, fetch the next token.
  useEffect(() => {
    if (!shown || !token) return;
    const timer = setInterval(() => setLeft((n) => Math.max(0, n - 1)), 1000);
    return () => clearInterval(timer);
  }, [shown, token]);

  useEffect(() => {
    if (shown && token && left === 0) setRound((r) => r + 1);
  }, [shown, token, left]);

  return (
    <Section title={t('resident.my.qrTitle')}>
      <p className="text-std-18N-160">{t('resident.my.qrLead')}</p>
      <Button
        variant={shown ? 'secondary' : 'primary'}
        className="mt-3 min-h-14 px-8"
        aria-expanded={shown}
        aria-controls="my-qr"
        onClick={() => setShown((s) => !s)}
      >
        {shown ? t('resident.my.qrHide') : t('resident.my.qrShow')}
      </Button>
      <div id="my-qr" className="mt-4">
        <ProblemAlert error={error} />
        {shown && src && (
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
