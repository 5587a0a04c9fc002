import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisasterKind, DisasterView } from '../../api/shelterTypes';
import { localName, useLang } from '../../lib/localized';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../hooks/useSubmit';
import { Button } from '../../components/Button/Button';
import { SelectField, TextField } from '../../components/Field/Field';
import { FormSection } from '../../components/FormSection/FormSection';
import { Section } from '../../components/Section/Section';
import { ConfirmDialog } from '../../components/ConfirmDialog/ConfirmDialog';
import { hqApi } from './hqApi';

const KINDS: readonly DisasterKind[] = [
  'earthquake',
  'tsunami',
  'flood',
  'inland_flood',
  'storm_surge',
  'landslide',
  'fire',
  'volcano',
  'other',
];

export interface DisasterSectionProps {
  code: string;
  /** Active disasters (not ended), newest first. */
  active: readonly DisasterView[];
  canCommand: boolean;
  /** After a declaration or an end: the message to announce (the page fetches the overview again). */
  onChanged: (message: string) => void;
}

/** The active disasters, and ending one (which closes its shelters). */
export function DisasterSection({ code, active, canCommand, onChanged }: DisasterSectionProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [ending, setEnding] = useState<DisasterView | null>(null);
  const end = useSubmit();

  const confirmEnd = () =>
    void end.run(async () => {
      if (!ending) return;
      await hqApi.endDisaster(code, ending.id);
      const name = localName(ending, lang);
      setEnding(null);
      onChanged(t('hq.disasters.ended', { name }));
    });

  return (
    <>
      <Section title={t('hq.disasters.active')}>
        {active.length === 0 ? (
          <p className="rounded-8 border-2 border-warning-yellow-1 bg-yellow-50 px-4 py-3">{t('hq.disasters.none')}</p>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="hq-disasters">
            {active.map((d) => (
              <li
                key={d.id}
                data-disaster-id={d.id}
                className="flex flex-wrap items-center justify-between gap-3 rounded-12 border-2 border-red-900 bg-red-50 p-4"
              >
                <div>
                  <p className="text-std-20B-150">
                    <span aria-hidden="true">⚠ </span>
                    {localName(d, lang)}
                    <span className="ml-2 text-std-16N-170">{t('hq.paren', { text: t(`hq.disasterKind.${d.kind}`) })}</span>
                  </p>
                  <p className="text-dns-16N-130">{t('hq.disasters.declaredAt', { time: formatDateTime(d.declaredAt, lang) })}</p>
                  {d.area && <p className="text-dns-16N-130">{t('hq.disasters.areaLine', { area: d.area })}</p>}
                </div>
                {canCommand && (
                  <Button variant="danger" onClick={() => setEnding(d)}>
                    {t('hq.disasters.end')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      {ending && (
        <ConfirmDialog
          title={t('hq.disasters.end')}
          confirmLabel={t('hq.disasters.endYes')}
          cancelLabel={t('common.cancel')}
          busy={end.busy}
          error={end.error}
          onConfirm={confirmEnd}
          onCancel={() => setEnding(null)}
        >
          <p>{t('hq.disasters.endConfirm', { name: localName(ending, lang) })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Declares a disaster (shelters open for one). */
export function DeclareForm({ code, onDeclared }: { code: string; onDeclared: (message: string) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { busy, error, onSubmit } = useSubmit();
  const [kind, setKind] = useState<DisasterKind>('flood');
  const [nameJa, setNameJa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [area, setArea] = useState('');

  const declare = async () => {
    const d = await hqApi.declareDisaster(code, { kind, nameJa: nameJa.trim(), nameEn: nameEn.trim(), area: area.trim() });
    setNameJa('');
    setNameEn('');
    setArea('');
    onDeclared(t('hq.disasters.declared', { name: localName(d, lang) }));
  };

  return (
    <FormSection
      title={t('hq.disasters.declareTitle')}
      onSubmit={onSubmit(declare)}
      busy={busy}
      error={error}
      submitLabel={t('hq.disasters.declare')}
    >
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField
          id="hq-disaster-kind"
          label={t('hq.disasters.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as DisasterKind)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`hq.disasterKind.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          id="hq-disaster-area"
          label={t('hq.disasters.area')}
          hint={t('hq.disasters.areaHint')}
          value={area}
          onChange={(e) => setArea(e.currentTarget.value)}
        />
        <TextField
          id="hq-disaster-name-ja"
          label={t('hq.disasters.nameJa')}
          hint={t('hq.disasters.nameJaHint')}
          required
          lang="ja"
          value={nameJa}
          onChange={(e) => setNameJa(e.currentTarget.value)}
        />
        <TextField
          id="hq-disaster-name-en"
          label={t('hq.disasters.nameEn')}
          lang="en"
          value={nameEn}
          onChange={(e) => setNameEn(e.currentTarget.value)}
        />
      </div>
    </FormSection>
  );
}
