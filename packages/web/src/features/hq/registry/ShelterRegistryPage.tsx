import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isProblemError } from '../../../api/api';
import type { CsvImportReport, ShelterKind, ShelterView } from '../../../api/shelterTypes';
import { useApi } from '../../../hooks/useApi';
import { useSubmit } from '../../../hooks/useSubmit';
import { useSession } from '../../../session/SessionContext';
import { localName, useLang } from '../../../lib/localized';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { Button } from '../../../components/Button/Button';
import { DataTable } from '../../../components/DataTable/DataTable';
import { EditPanel } from '../../../components/EditPanel/EditPanel';
import { SelectField, TextField } from '../../../components/Field/Field';
import { MunicipalityScope } from '../../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../../components/MunicipalityScope/useMunicipalityScope';
import { canCommand, hqApi } from '../hqApi';
import { StatusBadge } from '../ShelterTable';
import { importSheltersCsv, rowErrorsOfProblem, rowErrorsOfReport, type CsvRowError } from './registryApi';

/**
 * /admin/shelters — the shelter registry (避難所台帳): the list, CSV import (checked first, then
 * confirmed), the open-data CSV export, and editing the fields the open data lacks.
 */
export function ShelterRegistryPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { staff } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const command = canCommand(staff, code);
  const list = useApi(['hq', 'shelters', code], (signal) => hqApi.shelters(code, signal));
  const [editing, setEditing] = useState<ShelterView | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const rows = list.data ?? [];

  return (
    <>
      <PageHeading>{t('hq.registry.title')}</PageHeading>
      <p className="mt-4">{t('hq.registry.lead')}</p>
      <MunicipalityScope value={code} onChange={setCode} />
      <StatusMessage message={message} className="mt-4" />

      <Section title={t('hq.registry.exportTitle')}>
        <p className="mb-3">{t('hq.registry.exportLead')}</p>
        <a
          href={hqApi.csvUrl(code)}
          download={`shelters-${code}.csv`}
          data-testid="registry-export"
          className="inline-flex min-h-12 items-center gap-2 text-std-16B-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]"
        >
          <span aria-hidden="true">⬇</span>
          {t('hq.registry.exportLink')}
        </a>
      </Section>

      {command && (
        <ImportSection
          key={code}
          code={code}
          onImported={(msg) => {
            setMessage(msg);
            list.reload();
          }}
        />
      )}

      {editing && (
        <EditShelter
          key={editing.id}
          code={code}
          shelter={editing}
          onSaved={(updated) => {
            list.setData((prev) => prev?.map((s) => (s.id === updated.id ? updated : s)));
            setEditing(null);
            setMessage(t('hq.registry.saved', { name: localName(updated, lang) }));
          }}
          onCancel={() => setEditing(null)}
        />
      )}

      <Section title={t('hq.registry.list')} actions={list.data && <span>{t('hq.registry.count', { count: rows.length })}</span>}>
        {list.loading && !list.data && <Loading />}
        <ProblemAlert error={list.error} />
        {list.data && rows.length === 0 && <p>{t('hq.registry.empty')}</p>}
        {rows.length > 0 && (
          <DataTable<ShelterView>
            caption={t('hq.registry.caption')}
            rows={rows}
            rowKey={(s) => s.id}
            columns={[
              { key: 'localId', header: t('hq.registry.localId'), cell: (s) => s.localId },
              {
                key: 'name',
                header: t('hq.registry.name'),
                cell: (s) => (
                  <span data-shelter-id={s.id}>
                    <span className="font-bold">{localName(s, lang)}</span>
                    <span className="block text-dns-14N-130 text-solid-gray-700">{s.address}</span>
                  </span>
                ),
              },
              { key: 'kind', header: t('hq.registry.kind'), cell: (s) => t(`hq.kind.${s.kind}`) },
              {
                key: 'capacity',
                header: t('hq.registry.capacity'),
                cell: (s) => s.capacity ?? '—',
                className: 'text-right tabular-nums',
              },
              {
                key: 'capacityNight',
                header: t('hq.registry.capacityNight'),
                cell: (s) => s.capacityNight ?? '—',
                className: 'text-right tabular-nums',
              },
              { key: 'nationalId', header: t('hq.registry.nationalId'), cell: (s) => s.nationalId ?? '—', className: 'font-mono' },
              {
                key: 'hazards',
                header: t('hq.registry.hazards'),
                cell: (s) => (
                  <span className="block max-w-64 whitespace-normal">
                    {s.hazards.length > 0 ? s.hazards.map((h) => t(`hq.hazards.${h}`)).join('、') : t('common.none')}
                  </span>
                ),
              },
              { key: 'status', header: t('hq.registry.status'), cell: (s) => <StatusBadge status={s.status} label={t(`hq.status.${s.status}`)} /> },
              ...(command
                ? [
                    {
                      key: 'edit',
                      header: t('common.actions'),
                      cell: (s: ShelterView) => (
                        <Button
                          variant="secondary"
                          aria-label={t('hq.registry.editOf', { name: localName(s, lang) })}
                          onClick={() => {
                            setMessage(null);
                            setEditing(s);
                          }}
                        >
                          {t('hq.registry.edit')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Section>
    </>
  );
}

type Checked =
  | { kind: 'ok'; csv: string; report: CsvImportReport }
  | { kind: 'errors'; errors: CsvRowError[] };

/** Choose a file → dry run (row errors in a table) → confirm: nothing is written before the confirmation. */
function ImportSection({ code, onImported }: { code: string; onImported: (message: string) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const fileRef = useRef<HTMLInputElement>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const check = useSubmit();
  const confirm = useSubmit();

  const runCheck = async () => {
    setChecked(null);
    const file = fileRef.current?.files?.[0];
    if (!file) throw new Error(t('hq.registry.noFile'));
    let csv: string;
    try {
      csv = await file.text();
    } catch {
      throw new Error(t('hq.registry.readFailed'));
    }
    try {
      const report = await importSheltersCsv(code, csv, true);
      setChecked(
        report.errors.length > 0 ? { kind: 'errors', errors: rowErrorsOfReport(report, lang) } : { kind: 'ok', csv, report },
      );
    } catch (e) {
      if (isProblemError(e) && e.code === 'csv-invalid') {
        setChecked({ kind: 'errors', errors: rowErrorsOfProblem(e, lang) });
        return;
      }
      throw e;
    }
  };

  const runImport = async () => {
    if (checked?.kind !== 'ok') return;
    try {
      const report = await importSheltersCsv(code, checked.csv, false);
      setChecked(null);
      if (fileRef.current) fileRef.current.value = '';
      onImported(t('hq.registry.imported', { created: report.created, updated: report.updated, unchanged: report.unchanged }));
    } catch (e) {
      // The file changed on the server's view meanwhile (another import): show the rows as a check would.
      if (isProblemError(e) && e.code === 'csv-invalid') {
        setChecked({ kind: 'errors', errors: rowErrorsOfProblem(e, lang) });
        return;
      }
      throw e;
    }
  };

  const checkError = check.error instanceof Error && !isProblemError(check.error) ? check.error.message : null;

  return (
    <Section title={t('hq.registry.importTitle')}>
      <form
        onSubmit={(e) => check.submit(e, runCheck)}
        className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4"
      >
        <p>{t('hq.registry.importLead')}</p>
        {checkError ? (
          <p role="alert" className="rounded-8 border-2 border-error-1 bg-red-50 px-4 py-3 text-std-16B-170">
            {checkError}
          </p>
        ) : (
          <ProblemAlert error={check.error} />
        )}
        <TextField
          ref={fileRef}
          id="registry-csv-file"
          type="file"
          accept=".csv,text/csv"
          label={t('hq.registry.file')}
          required
          onChange={() => setChecked(null)}
        />
        <Button type="submit" variant="secondary" disabled={check.busy} className="self-start">
          {check.busy ? t('hq.registry.checking') : t('hq.registry.check')}
        </Button>
      </form>

      <div aria-live="polite" className="mt-4 flex flex-col gap-4" data-testid="registry-import-result">
        {checked?.kind === 'ok' && (
          <>
            <p className="rounded-8 border-2 border-success-1 bg-green-50 px-4 py-3 text-std-16B-170">
              {t('hq.registry.checkOk', {
                created: checked.report.created,
                updated: checked.report.updated,
                unchanged: checked.report.unchanged,
              })}
            </p>
            <ProblemAlert error={confirm.error} />
            <Button onClick={() => void confirm.run(runImport)} disabled={confirm.busy} className="self-start">
              {confirm.busy ? t('hq.registry.importing') : t('hq.registry.confirm')}
            </Button>
          </>
        )}
        {checked?.kind === 'errors' && (
          <>
            <p role="alert" className="rounded-8 border-2 border-error-1 bg-red-50 px-4 py-3 text-std-16B-170">
              {t('hq.registry.checkErrors', { count: checked.errors.length })}
            </p>
            <DataTable<CsvRowError & { i: number }>
              caption={t('hq.registry.errorsCaption')}
              rows={checked.errors.map((e, i) => ({ ...e, i }))}
              rowKey={(e) => String(e.i)}
              columns={[
                { key: 'row', header: t('hq.registry.errorRow'), cell: (e) => e.row ?? '—', className: 'text-right tabular-nums' },
                { key: 'column', header: t('hq.registry.errorColumn'), cell: (e) => e.column },
                { key: 'message', header: t('hq.registry.errorMessage'), cell: (e) => <span className="whitespace-normal">{e.message}</span> },
              ]}
            />
          </>
        )}
      </div>
    </Section>
  );
}

function parseCount(v: string): number | null {
  const s = v.trim();
  return s === '' ? null : Number(s);
}

/** Edits the fields the open-data CSV does not carry well: kind, day/night capacity, national shelter ID. */
function EditShelter({
  code,
  shelter,
  onSaved,
  onCancel,
}: {
  code: string;
  shelter: ShelterView;
  onSaved: (s: ShelterView) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const { busy, error, onSubmit } = useSubmit();
  const [kind, setKind] = useState<ShelterKind>(shelter.kind);
  const [capacity, setCapacity] = useState(shelter.capacity?.toString() ?? '');
  const [capacityNight, setCapacityNight] = useState(shelter.capacityNight?.toString() ?? '');
  const [nationalId, setNationalId] = useState(shelter.nationalId ?? '');

  const save = async () => {
    const updated = await hqApi.updateShelter(code, shelter.id, {
      kind,
      capacity: parseCount(capacity),
      capacityNight: parseCount(capacityNight),
      nationalId: nationalId.trim() === '' ? null : nationalId.trim(),
    });
    onSaved(updated);
  };

  return (
    <EditPanel
      headingId="registry-edit-title"
      title={t('hq.registry.editTitle', { name: localName(shelter, lang) })}
      onSubmit={onSubmit(save)}
      onCancel={onCancel}
      busy={busy}
      error={error}
    >
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField id="registry-kind" label={t('hq.registry.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value === 'welfare' ? 'welfare' : 'general')}>
          <option value="general">{t('hq.kind.general')}</option>
          <option value="welfare">{t('hq.kind.welfare')}</option>
        </SelectField>
        <TextField
          id="registry-national-id"
          label={t('hq.registry.nationalId')}
          hint={t('hq.registry.nationalIdHint')}
          value={nationalId}
          minLength={14}
          maxLength={14}
          pattern="[0-9A-Za-z]{14}"
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          onChange={(e) => setNationalId(e.currentTarget.value)}
        />
        <TextField
          id="registry-capacity"
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          label={t('hq.registry.capacity')}
          hint={t('hq.registry.capacityHint')}
          value={capacity}
          onChange={(e) => setCapacity(e.currentTarget.value)}
        />
        <TextField
          id="registry-capacity-night"
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          label={t('hq.registry.capacityNight')}
          hint={t('hq.registry.capacityHint')}
          value={capacityNight}
          onChange={(e) => setCapacityNight(e.currentTarget.value)}
        />
      </div>
    </EditPanel>
  );
}
