import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SupplyItem, SupplyOrderStatus, SupplyRequestView } from '../../api/shelterTypes';
import { Button, SubmitButton } from '../../components/Button/Button';
import { DataTable } from '../../components/DataTable/DataTable';
import { SelectField, TextField } from '../../components/Field/Field';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Section } from '../../components/Section/Section';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import type { Lang } from '../../i18n';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useLang } from '../../lib/localized';
import { suppliesApi } from './suppliesApi';

// Colour is never the only signal: every status has its word and its own icon shape.
const STATUS_STYLE: Record<SupplyOrderStatus, { className: string; icon: string }> = {
  requested: { className: 'border-yellow-700 bg-yellow-50 text-solid-gray-900', icon: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 5v5.6l4 2.4-.8 1.3L11 13V7h2Z' },
  ordered: { className: 'border-blue-900 bg-blue-50 text-blue-1000', icon: 'M4 4h16v2H4V4Zm0 7h16v2H4v-2Zm0 7h10v2H4v-2Z' },
  shipped: { className: 'border-blue-900 bg-blue-100 text-blue-1000', icon: 'M2 6h12v9H2V6Zm12 3h4l3 3v3h-7V9ZM6 19a2 2 0 1 1 0-4 2 2 0 0 1 0 4Zm11 0a2 2 0 1 1 0-4 2 2 0 0 1 0 4Z' },
  received: { className: 'border-success-1 bg-green-50 text-solid-gray-900', icon: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2Z' },
  cancelled: { className: 'border-solid-gray-420 bg-solid-gray-50 text-solid-gray-700 line-through', icon: 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3 1.4 1.4Z' },
};

/** A request's status as a word with an icon. */
export function SupplyStatusBadge({ status }: { status: SupplyOrderStatus }) {
  const { t } = useTranslation();
  const s = STATUS_STYLE[status];
  return (
    <span className={`inline-flex items-center gap-1 rounded-4 border px-2 py-0.5 text-dns-16B-130 whitespace-nowrap ${s.className}`}>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4 shrink-0 fill-current">
        <path d={s.icon} />
      </svg>
      {t(`supplies.status.${status}`)}
    </span>
  );
}

/** The item's name in the UI language; the raw code when the catalogue no longer has it. */
export function itemName(items: readonly SupplyItem[] | undefined, code: string, lang: Lang): string {
  const item = items?.find((i) => i.code === code);
  if (!item) return code;
  return lang === 'en' ? item.nameEn : item.nameJa;
}

export function itemUnit(items: readonly SupplyItem[] | undefined, code: string, lang: Lang): string {
  const item = items?.find((i) => i.code === code);
  if (!item) return '';
  return lang === 'en' ? item.unitEn : item.unitJa;
}

interface FormState {
  itemCode: string;
  needed: string;
  inStock: string;
  stockStatus: 'ok' | 'short';
  note: string;
}

const EMPTY: FormState = { itemCode: '', needed: '', inStock: '0', stockStatus: 'short', note: '' };

/** A shelter's supplies: the request form and the shelter's requests with their status. */
export function ShelterSuppliesSection({ code, shelterId }: { code: string; shelterId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const catalogue = useApi(['supplies', 'catalogue'], (signal) => suppliesApi.catalogue(signal));
  const requests = useApi(['supplies', 'requests', code, { shelterId }], (signal) => suppliesApi.requests(code, { shelterId }, signal));
  const [form, setForm] = useState<FormState>(EMPTY);
  // One key per content: a retry of the same request (lost answer, flaky network) replays, never
  // duplicates; an edited request is a new one. Renewed after success.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [invalid, setInvalid] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit();

  const edit = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setKey(crypto.randomUUID());
    setSent(null);
  };

  const needed = Number(form.needed);
  const inStock = Number(form.inStock || '0');
  const valid = form.itemCode !== '' && Number.isInteger(needed) && needed >= 1 && Number.isInteger(inStock) && inStock >= 0;
  const unit = itemUnit(catalogue.data, form.itemCode, lang);

  const submit = onSubmit(
    async () => {
      const created = await suppliesApi.createRequest(code, shelterId, {
        idempotencyKey: key, itemCode: form.itemCode, needed, inStock, stockStatus: form.stockStatus,
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      });
      requests.setData((prev) => [created, ...(prev ?? []).filter((r) => r.id !== created.id)]);
      setSent(t('supplies.form.sent', { item: itemName(catalogue.data, created.itemCode, lang), n: formatNumber(created.needed, lang), unit }));
      setForm(EMPTY);
      setKey(crypto.randomUUID());
    },
    () => {
      setInvalid(!valid);
      return valid;
    },
  );

  return (
    <Section title={t('supplies.title')}>
      <Section title={t('supplies.form.heading')} level={3} className="mt-0">
        {catalogue.loading && <Loading />}
        <ProblemAlert error={catalogue.error} />
        <form onSubmit={submit} noValidate className="flex max-w-2xl flex-col gap-6">
          {invalid && !valid && (
            <p role="alert" className="text-std-16B-170 text-error-1">
              {t('supplies.form.invalid')}
            </p>
          )}
          <SelectField
            label={t('supplies.form.item')}
            required
            value={form.itemCode}
            onChange={(e) => edit({ itemCode: e.target.value })}
            aria-invalid={invalid && form.itemCode === '' ? true : undefined}
          >
            <option value="">{t('supplies.form.chooseItem')}</option>
            {(catalogue.data ?? []).map((i) => (
              <option key={i.code} value={i.code}>
                {lang === 'en' ? `${i.nameEn} (${i.unitEn})` : `${i.nameJa}（${i.unitJa}）`}
              </option>
            ))}
          </SelectField>
          <div className="grid gap-6 sm:grid-cols-2">
            <TextField
              label={t('supplies.form.needed')}
              hint={unit ? t('supplies.form.neededHint', { unit }) : undefined}
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              required
              value={form.needed}
              onChange={(e) => edit({ needed: e.target.value })}
              aria-invalid={invalid && !(Number.isInteger(needed) && needed >= 1) ? true : undefined}
            />
            <TextField
              label={t('supplies.form.inStock')}
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              value={form.inStock}
              onChange={(e) => edit({ inStock: e.target.value })}
            />
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-std-17B-170">{t('supplies.form.stockStatus')}</legend>
            <div className="flex flex-wrap gap-4">
              {(['short', 'ok'] as const).map((s) => (
                <label key={s} className="flex min-h-12 cursor-pointer items-center gap-2 rounded-8 border border-solid-gray-420 px-4 text-std-16N-170">
                  <input
                    type="radio"
                    name={`stock-${shelterId}`}
                    value={s}
                    checked={form.stockStatus === s}
                    onChange={() => edit({ stockStatus: s })}
                    className="size-5"
                  />
                  {t(`supplies.stock.${s}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <TextField
            label={t('supplies.form.note')}
            hint={t('supplies.form.noteHint')}
            maxLength={500}
            value={form.note}
            onChange={(e) => edit({ note: e.target.value })}
          />
          <ProblemAlert error={error} />
          <StatusMessage message={sent} />
          <div>
            <SubmitButton busy={busy} busyLabel={t('supplies.form.sending')}>
              {t('supplies.form.submit')}
            </SubmitButton>
          </div>
        </form>
      </Section>

      <Section
        title={t('supplies.list.heading')}
        level={3}
        actions={
          <Button variant="secondary" onClick={requests.reload}>
            {t('supplies.list.reload')}
          </Button>
        }
      >
        {requests.loading && <Loading />}
        <ProblemAlert error={requests.error} />
        {requests.data && requests.data.length === 0 && <p className="text-std-16N-170">{t('supplies.list.empty')}</p>}
        {requests.data && requests.data.length > 0 && (
          <RequestTable rows={requests.data} items={catalogue.data} lang={lang} />
        )}
      </Section>
    </Section>
  );
}

function RequestTable({ rows, items, lang }: { rows: SupplyRequestView[]; items: SupplyItem[] | undefined; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={t('supplies.list.caption')}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { key: 'item', header: t('supplies.list.item'), cell: (r) => itemName(items, r.itemCode, lang) },
        { key: 'needed', header: t('supplies.list.needed'), className: 'text-right', cell: (r) => `${formatNumber(r.needed, lang)} ${itemUnit(items, r.itemCode, lang)}` },
        { key: 'inStock', header: t('supplies.list.inStock'), className: 'text-right', cell: (r) => `${formatNumber(r.inStock, lang)}（${t(`supplies.stock.${r.stockStatus}`)}）` },
        { key: 'status', header: t('supplies.list.status'), cell: (r) => <SupplyStatusBadge status={r.status} /> },
        { key: 'requestedAt', header: t('supplies.list.requestedAt'), cell: (r) => formatDateTime(r.createdAt, lang) },
        { key: 'updatedAt', header: t('supplies.list.updatedAt'), cell: (r) => formatDateTime(r.updatedAt, lang) },
        { key: 'note', header: t('supplies.list.note'), cell: (r) => r.note },
      ]}
    />
  );
}
