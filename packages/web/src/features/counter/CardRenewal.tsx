import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardTouch } from '../../cardAgent';
import { Button } from '../../components/Button/Button';
import { Checkbox } from '../../components/Field/Field';
import { counterApi, type CardBinding, type ResidentView } from './counterApi';
import type { TouchModeControl } from './touchMode';

export interface CardRenewalProps {
  municipalityCode: string;
  resident: ResidentView;
  touch: TouchModeControl;
  onRenewed: (b: CardBinding) => void;
  onBeforeWrite: () => void;
}

/**
 * Card renewal: after staff confirm they checked the resident in person, the new card is touched
 * (the resident types its PIN; purpose `card-renewal`) and bound to the same resident.
 */
export function CardRenewal({ municipalityCode, resident, touch, onRenewed, onBeforeWrite }: CardRenewalProps) {
  const { t } = useTranslation();
  const [inPerson, setInPerson] = useState(false);
  const [missing, setMissing] = useState(false);
  const active = touch.mode === 'renewal';
  const headingId = `card-renewal-${resident.id}`;

  return (
    <section aria-labelledby={headingId} className="mt-6 flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
      <h4 id={headingId} className="text-std-18B-160">
        {t('counter.renewal.title')}
      </h4>
      <p>{t('counter.renewal.lead')}</p>
      <Checkbox
        id={`${headingId}-in-person`}
        label={t('counter.renewal.inPerson')}
        checked={inPerson}
        disabled={active}
        aria-invalid={missing}
        onChange={(e) => {
          setInPerson(e.currentTarget.checked);
          setMissing(false);
        }}
      />
      {missing && (
        <p role="alert" className="text-std-16B-170 text-error-2">
          {t('counter.renewal.inPersonRequired')}
        </p>
      )}
      {active ? (
        <>
          <CardTouch
            getChallenge={() => counterApi.challenge(municipalityCode, 'card-renewal')}
            onAuthenticated={async (touched) => {
              onBeforeWrite();
              const b = await counterApi.rebindCard(municipalityCode, resident.id, touched);
              touch.setMode(null);
              setInPerson(false);
              onRenewed(b);
            }}
            submitLabel={t('counter.renewal.submit')}
          >
            <p>{t('counter.renewal.touchPrompt')}</p>
          </CardTouch>
          <Button variant="secondary" className="self-start" onClick={() => touch.setMode(null)}>
            {t('common.cancel')}
          </Button>
        </>
      ) : (
        <Button
          className="self-start"
          onClick={() => {
            if (!inPerson) {
              setMissing(true);
              return;
            }
            touch.setMode('renewal');
          }}
        >
          {t('counter.renewal.start')}
        </Button>
      )}
    </section>
  );
}
