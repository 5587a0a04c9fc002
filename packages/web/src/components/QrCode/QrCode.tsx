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
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    setSrc(null);
    setFailed(false);
    import('qrcode')
      .then((QRCode) => QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }))
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [value]);

  if (failed) return <p role="alert" className="text-std-16B-170 text-error-2">{t('counter.qrCard.qrFailed')}</p>;
  if (!src) return <div aria-hidden="true" className={`aspect-square bg-solid-gray-50 ${className}`} />;
  return <img src={src} alt={alt} className={`aspect-square [image-rendering:pixelated] ${className}`} />;
}
