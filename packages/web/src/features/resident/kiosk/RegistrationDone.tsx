import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationResult } from '../../../api/resident';
import { Button } from '../../../components/Button/Button';

export interface RegistrationDoneProps {
  result: RegistrationResult;
  municipalityName: string;
  onFinish: () => void;
}

// While printing, only the ID sheet is shown (the site header, steps and buttons are not).
/** The issued resident ID, very large, with Print and Finish. */
export function RegistrationDone({ result, municipalityName, onFinish }: RegistrationDoneProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  return (
    <section aria-labelledby="kiosk-done-title" className="mt-6 flex flex-col gap-6">
      <h2 id="kiosk-done-title" ref={headingRef} tabIndex={-1} className="text-std-28B-150 sm:text-std-32B-150">
        {t('resident.kiosk.doneTitle')}
      </h2>
      <div id="kiosk-print" data-print-sheet="standard" className="rounded-16 border-4 border-blue-900 bg-blue-50 p-6 text-center">
        <p className="text-std-18B-160">{t('resident.kiosk.printTitle', { municipality: municipalityName })}</p>
        <p className="mt-2 text-std-20B-150" id="kiosk-resident-id-label">
          {t('resident.kiosk.residentIdLabel')}
        </p>
        <p
          aria-labelledby="kiosk-resident-id-label"
          data-testid="kiosk-resident-id"
          className="mt-2 font-mono text-[3rem] leading-tight font-bold tracking-[0.2em] sm:text-[4.5rem]"
        >
          {result.residentNumber}
        </p>
        <p className="mt-4 text-std-18N-160">
          <span className="font-bold">{t('resident.kiosk.globalIdLabel')}: </span>
          <span className="font-mono" data-testid="kiosk-global-id">
            {result.globalId}
          </span>
        </p>
      </div>
      <p className="text-std-18N-160">{t('resident.kiosk.keepNote')}</p>
      <div className="flex flex-col gap-3 sm:flex-row">
        <Button variant="secondary" className="min-h-16 px-10 text-std-20B-150" onClick={() => window.print()}>
          {t('resident.kiosk.print')}
        </Button>
        <Button className="min-h-16 px-10 text-std-20B-150" onClick={onFinish}>
          {t('resident.kiosk.finish')}
        </Button>
      </div>
      <p className="text-std-16N-170 text-solid-gray-700">{t('resident.kiosk.finishHint')}</p>
    </section>
  );
}
