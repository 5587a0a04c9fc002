import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface QrCodeProps {
  /** The text to encode. */
  value: string;
  /** Accessible name of the image. */
  alt: string;
  className?: string;
}

/** A QR code drawn by the `qrcode` package as SVG (sharp when printed); loaded on first use. */
export function QrCode({ value, alt, className = '' }: QrCodeProps) {
  const { t } = useTranslation();
  // The drawing of one value: a drawing (or failure) of an earlier value is not shown for a new one.
  const [drawn, setDrawn] = useState<{ value: string; src: string | null; failed: boolean } | null>(null);
  const current = drawn?.value === value ? drawn : null;
  const src = current?.src ?? null;
  const failed = current?.failed ?? false;

  useEffect(() => {
    let live = true;
    import('qrcode')
      .then((QRCode) => QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }))
      .then((svg) => {
        if (live) setDrawn({ value, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, failed: false });
      })
      .catch(() => {
        if (live) setDrawn({ value, src: null, failed: true });
      });
    return () => {
      live = false;
    };
  }, [value]);

  if (failed) return <p role="alert" className="text-std-16B-170 text-error-2">{t('counter.qrCard.qrFailed')}</p>;
  if (!src) return <div aria-hidden="true" className={`aspect-square bg-solid-gray-50 ${className}`} />;
  return <img src={src} alt={alt} className={`aspect-square [image-rendering:pixelated] ${className}`} />;
}
