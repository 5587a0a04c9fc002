import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardAgentProvider } from '../../cardAgent';
import { useSubmit } from '../../hooks/useSubmit';
import { useSession } from '../../session/SessionContext';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { MunicipalityScope } from '../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../components/MunicipalityScope/useMunicipalityScope';
import { counterApi, type ResidentView } from './counterApi';
import { LOOKUP_INPUT_ID, ResidentLookupForm } from './ResidentLookupForm';
import { CardLogin } from './CardLogin';
import { ResidentPanel } from './ResidentPanel';
import { QrCheck } from './QrCheck';
import type { TouchMode } from './touchMode';

interface Shown {
  resident: ResidentView;
  viaCard: boolean;
}

/**
 * 窓口: staff help a resident who came to the office. Find them by resident ID (check digit
 * verified in the browser) or by their card and PIN, then look after their cards, consents and
 * printed QR cards; check any resident's QR code.
 */
export function CounterPage() {
  const { t } = useTranslation();
  const { staff, municipalities } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const [shown, setShown] = useState<Shown | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [touchMode, setTouchMode] = useState<TouchMode>(null);
  // A new visit starts with empty forms: nothing of the previous resident stays on the screen.
  const [visit, setVisit] = useState(0);
  const openFromQr = useSubmit();
  // After 「対応を終える」 keyboard focus goes back to the start: the resident ID field.
  useEffect(() => {
    if (visit > 0) document.getElementById(LOOKUP_INPUT_ID)?.focus();
  }, [visit]);
  const municipality = municipalities?.find((m) => m.code === code);
  const touch = { mode: touchMode, setMode: setTouchMode };
  // Cards, consents and QR cards: the municipality's own municipal admins only (card:manage, consent:*, qr:issue).
  const manages = staff.permissions.includes('card:manage') && staff.municipalityCode === code;

  const show = (resident: ResidentView, viaCard: boolean) => {
    setTouchMode(null);
    setShown({ resident, viaCard });
  };
  const clear = () => {
    setShown(null);
    setStatus(null);
    setTouchMode(null);
  };
  const finish = () => {
    clear();
    setVisit((v) => v + 1);
  };

  return (
    <CardAgentProvider>
      <PageHeading>{t('counter.title')}</PageHeading>
      <p className="mt-4">{t('counter.lead')}</p>
      <p className="mt-2 text-dns-16N-130 text-solid-gray-700">{t('counter.privacyNote')}</p>
      <MunicipalityScope
        value={code}
        onChange={(c) => {
          finish();
          setCode(c);
        }}
      />
      <StatusMessage message={status} className="sticky top-0 z-10 mt-4 bg-white" />

      <ResidentLookupForm key={`lookup-${code}-${visit}`} municipalityCode={code} onBeforeLookup={clear} onFound={(r) => show(r, false)} />
      <CardLogin key={`login-${code}`} municipalityCode={code} touch={touch} onBeforeLogin={() => setStatus(null)} onLoggedIn={(r) => show(r, true)} />

      {shown && (
        <ResidentPanel
          key={shown.resident.id}
          municipalityCode={code}
          municipality={municipality}
          resident={shown.resident}
          viaCard={shown.viaCard}
          manages={manages}
          touch={touch}
          onClose={finish}
          onStatus={setStatus}
        />
      )}

      <ProblemAlert error={openFromQr.error} className="mt-4" />
      <QrCheck
        key={`qr-${code}-${visit}`}
        municipalityCode={code}
        onOpenResident={(number) =>
          void openFromQr.run(async () => {
            const r = await counterApi.residentByNumber(code, number);
            setStatus(null);
            show(r, false);
          })
        }
      />
    </CardAgentProvider>
  );
}
