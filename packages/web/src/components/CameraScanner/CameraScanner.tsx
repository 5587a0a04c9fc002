import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../Button/Button';

export interface CameraScannerProps {
  /** Called once with the decoded text; the camera is then stopped. */
  onScan: (text: string) => void;
  onStop: () => void;
}

type State = 'starting' | 'scanning' | 'unavailable' | 'denied';

/** True when this browser can be asked for a camera at all (a secure context with mediaDevices). */
export function cameraSupported(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && window.isSecureContext !== false;
}

/**
 * Reads a QR code with the device camera: getUserMedia into a <video>, each frame drawn onto a
 * canvas and decoded with `jsqr`. Says so plainly when there is no camera or permission is refused.
 */
export function CameraScanner({ onScan, onStop }: CameraScannerProps) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<State>(cameraSupported() ? 'starting' : 'unavailable');
  // The latest onScan, called from the scanning loop the effect starts (the loop does not restart for a new one).
  const scanned = useEffectEvent((text: string) => onScan(text));

  useEffect(() => {
    if (!cameraSupported()) return;
    let stream: MediaStream | undefined;
    let frame = 0;
    let stopped = false;
    let cancelled = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });

    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };

    (async () => {
      try {
        const [{ default: jsQR }, media] = await Promise.all([
          import('jsqr'),
          navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
        ]);
        stream = media;
        if (stopped) return stop();
        const video = videoRef.current;
        if (!video || !ctx) return stop();
        video.srcObject = media;
        await video.play();
        setState('scanning');
        const tick = () => {
          if (stopped) return;
          if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
            const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
            const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
            if (code?.data) {
              stop();
              scanned(code.data);
              return;
            }
          }
          frame = requestAnimationFrame(tick);
        };
        frame = requestAnimationFrame(tick);
      } catch {
        stop();
        if (!cancelled) setState('denied');
      }
    })();
    return () => {
      cancelled = true;
      stop();
    };
  }, []);

  return (
    <div className="flex flex-col gap-3 rounded-12 border border-solid-gray-420 p-4">
      <p role="status" className={state === 'unavailable' || state === 'denied' ? 'text-std-16B-170 text-error-2' : ''}>
        {state === 'unavailable'
          ? t('counter.qrCheck.cameraUnavailable')
          : state === 'denied'
            ? t('counter.qrCheck.cameraDenied')
            : t('counter.qrCheck.scanning')}
      </p>
      {(state === 'starting' || state === 'scanning') && (
        <video
          ref={videoRef}
          muted
          playsInline
          aria-label={t('counter.qrCheck.videoLabel')}
          className="aspect-video w-full max-w-md rounded-8 bg-black object-cover"
        />
      )}
      <Button variant="secondary" onClick={onStop} className="self-start">
        {state === 'unavailable' || state === 'denied' ? t('common.close') : t('counter.qrCheck.stopScan')}
      </Button>
    </div>
  );
}
