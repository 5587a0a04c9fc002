import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutsideStayInput } from '../../api/shelterTypes';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { Section } from '../../components/Section/Section';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { Button, SubmitButton } from '../../components/Button/Button';
import { useLang } from '../../lib/localized';
import { ConfirmDialog } from '../../components/ConfirmDialog/ConfirmDialog';
import { BigInput, BigTextArea, FieldErrorText } from './fields';
import { formatSince, newIdempotencyKey } from './form';
import type { MyShelterApi } from './myShelterApi';

type OutsidePlace = OutsideStayInput['place'];
const PLACES: OutsidePlace[] = ['home', 'car', 'tent', 'other'];

const PLACE_ICONS: Record<OutsidePlace, string> = { home: '🏠', car: '🚗', tent: '⛺', other: '📍' };

/**
 * 在宅・車中泊・テント避難: the resident reports sheltering outside a shelter (so the municipality can
 * bring supplies), sees the current report, and ends it when they move to a shelter or go home.
 * The report's idempotency key is kept until the server accepts it, so a retry after a lost answer
 * does not file a second report; a changed report gets a new key.
 */
export function OutsideStaySection({ client }: { client: MyShelterApi }) {
  const { t } = useTranslation();
  const lang = useLang();
  const current = useApi(['resident', 'outside-stay'], (signal) => client.outsideStay(signal));
  const [editing, setEditing] = useState(false);
  const [place, setPlace] = useState<OutsidePlace | ''>('');
  const [carPlate, setCarPlate] = useState('');
  const [carModel, setCarModel] = useState('');
  const [note, setNote] = useState('');
  const [placeError, setPlaceError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const pending = useRef<{ key: string; body: string } | null>(null);
  const report = useSubmit();
  const end = useSubmit();

  const stay = current.data ?? null;
  const showForm = !stay || editing;

  const startEditing = () => {
    setPlace(stay && stay.place !== 'shelter' ? stay.place : '');
    setEditing(true);
    setStatus(null);
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) =>
    report.submit(
      e,
      async () => {
        if (!place) return;
        const body: Omit<OutsideStayInput, 'idempotencyKey'> = {
          place,
          ...(place === 'car' && carPlate.trim() ? { carPlate: carPlate.trim() } : {}),
          ...(place === 'car' && carModel.trim() ? { carModel: carModel.trim() } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        };
        const json = JSON.stringify(body);
        if (!pending.current || pending.current.body !== json) pending.current = { key: newIdempotencyKey(), body: json };
        const saved = await client.reportOutsideStay({ idempotencyKey: pending.current.key, ...body });
        pending.current = null;
        current.setData(() => saved);
        setEditing(false);
        setCarPlate('');
        setCarModel('');
        setNote('');
        setStatus(t('myShelter.outside.reported'));
      },
      () => {
        setStatus(null);
        setPlaceError(place ? undefined : t('myShelter.outside.choosePlace'));
        if (!place) document.getElementById('outside-place-home')?.focus();
        return Boolean(place);
      },
    );

  const doEnd = () =>
    end.run(async () => {
      await client.endOutsideStay();
      current.setData(() => null);
      setConfirmEnd(false);
      setEditing(false);
      setStatus(t('myShelter.outside.ended'));
    });

  return (
    <Section title={t('myShelter.outside.title')}>
      <p className="text-std-18N-160">{t('myShelter.outside.lead')}</p>
      {current.loading && <Loading />}
      <ProblemAlert error={current.error} className="mt-4" />
      <StatusMessage message={status} className="mt-4" />

      {!current.loading && !current.error && (
        <div className="mt-4 rounded-12 border-2 border-solid-gray-420 p-4" data-testid="outside-current">
          <h3 className="text-std-20B-150">{t('myShelter.outside.currentTitle')}</h3>
          {stay && stay.place !== 'shelter' ? (
            <>
              <p className="mt-2 flex gap-2 text-std-18B-160">
                <span aria-hidden="true">{PLACE_ICONS[stay.place]}</span>
                <span>
                  {t('myShelter.outside.current', {
                    place: t(`myShelter.outside.places.${stay.place}`),
                    date: formatSince(stay.checkedInAt, lang),
                  })}
                </span>
              </p>
              <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap">
                <Button className="min-h-14 px-6 text-std-18B-160" onClick={() => setConfirmEnd(true)}>
                  {t('myShelter.outside.end')}
                </Button>
                {!editing && (
                  <Button variant="secondary" className="min-h-14 px-6 text-std-18B-160" onClick={startEditing}>
                    {t('myShelter.outside.update')}
                  </Button>
                )}
              </div>
            </>
          ) : (
            <p className="mt-2 text-std-18N-160">{t('myShelter.outside.none')}</p>
          )}
        </div>
      )}

      {!current.loading && !current.error && showForm && (
        <form noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-5" aria-label={t('myShelter.outside.title')}>
          <fieldset className="min-w-0" aria-describedby={placeError ? 'outside-place-error' : undefined}>
            <legend className="text-std-20B-150">{t('myShelter.outside.placeLegend')}</legend>
            {placeError && (
              <div className="mt-2">
                <FieldErrorText id="outside-place-error">{placeError}</FieldErrorText>
              </div>
            )}
            <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
              {PLACES.map((p) => (
                <label
                  key={p}
                  htmlFor={`outside-place-${p}`}
                  className={`flex min-h-16 cursor-pointer items-start gap-3 rounded-8 border-2 p-4 ${place === p ? 'border-blue-900 bg-blue-50' : 'border-solid-gray-420'}`}
                >
                  <input
                    id={`outside-place-${p}`}
                    type="radio"
                    name="outside-place"
                    value={p}
                    checked={place === p}
                    onChange={() => {
                      setPlace(p);
                      setPlaceError(undefined);
                    }}
                    className="mt-1 size-7 shrink-0 cursor-pointer"
                  />
                  <span className="flex flex-col">
                    <span className="text-std-18B-160">
                      <span aria-hidden="true" className="mr-2">
                        {PLACE_ICONS[p]}
                      </span>
                      {t(`myShelter.outside.places.${p}`)}
                    </span>
                    <span className="text-std-16N-170">{t(`myShelter.outside.placeHints.${p}`)}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          {place === 'car' && (
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <BigInput
                id="outside-carPlate"
                maxLength={40}
                label={t('myShelter.outside.carPlate')}
                hint={t('myShelter.outside.carPlateHint')}
                value={carPlate}
                onChange={(e) => setCarPlate(e.currentTarget.value)}
              />
              <BigInput
                id="outside-carModel"
                maxLength={60}
                label={t('myShelter.outside.carModel')}
                hint={t('myShelter.outside.carModelHint')}
                value={carModel}
                onChange={(e) => setCarModel(e.currentTarget.value)}
              />
            </div>
          )}

          <BigTextArea
            id="outside-note"
            maxLength={500}
            rows={2}
            label={t('myShelter.outside.note')}
            hint={t('myShelter.outside.noteHint')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />

          <ProblemAlert error={report.error} />
          <div className="flex flex-col gap-3 sm:flex-row">
            <SubmitButton busy={report.busy} busyLabel={t('myShelter.outside.reporting')} className="min-h-16 px-10 text-std-20B-150" data-testid="outside-report">
              {stay ? t('myShelter.outside.update') : t('myShelter.outside.report')}
            </SubmitButton>
            {editing && (
              <Button variant="secondary" className="min-h-16 px-8 text-std-18B-160" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
            )}
          </div>
        </form>
      )}

      {confirmEnd && (
        <ConfirmDialog
          title={t('myShelter.outside.endConfirmTitle')}
          confirmLabel={t('myShelter.outside.endConfirm')}
          cancelLabel={t('myShelter.outside.endCancel')}
          busy={end.busy}
          error={end.error}
          onConfirm={() => void doEnd()}
          onCancel={() => setConfirmEnd(false)}
        >
          {t('myShelter.outside.endConfirmBody')}
        </ConfirmDialog>
      )}
    </Section>
  );
}
