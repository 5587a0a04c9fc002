import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SupplyItem, SupplyOrderStatus, SupplyRequestView } from '../../api/shelterTypes';
import { Button, type ButtonVariant } from '../../components/Button/Button';
import { DataTable, type Column } from '../../components/DataTable/DataTable';
import { SelectField } from '../../components/Field/Field';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Section } from '../../components/Section/Section';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { formatDateTime, formatNumber } from '../../lib/format';
import { localName, useLang } from '../../lib/localized';
import { useSession } from '../../session/SessionContext';
import { canCommand } from '../hq/hqApi';
import { itemName, itemUnit, SupplyStatusBadge } from './ShelterSuppliesSection';
import { CatalogueTable } from './CatalogueTable';
import { suppliesApi } from './suppliesApi';

const DAY_OPTIONS = [1, 3, 7] as const;
const STATUSES: SupplyOrderStatus[] = ['requested', 'ordered', 'shipped', 'received', 'cancelled'];

/** The next steps HQ may take from each status (the server enforces the same). */
const ACTIONS: Record<SupplyOrderStatus, { to: SupplyOrderStatus; label: 'order' | 'ship' | 'receive' | 'cancel'; variant: ButtonVariant }[]> = {
  requested: [{ to: 'ordered', label: 'order', variant: 'primary' }, { to: 'cancelled', label: 'cancel', variant: 'danger' }],
  ordered: [{ to: 'shipped', label: 'ship', variant: 'primary' }, { to: 'cancelled', label: 'cancel', variant: 'danger' }],
  shipped: [{ to: 'received', label: 'receive', variant: 'primary' }, { to: 'cancelled', label: 'cancel', variant: 'danger' }],
  received: [],
  cancelled: [],
};

interface ItemTotal {
  itemCode: string;
  open: number;
  inTransit: number;
  received: number;
  estimated: number;
  /** Estimated demand not yet covered by an open request, summed over shelters (a surplus at one shelter does not cover another). */
  gap: number;
}

/** Per item: requested quantities across shelters by stage, beside the demand estimate. */
function totalsByItem(requests: SupplyRequestView[], estimateRows: { shelterId: string; itemCode: string; estimated: number; requested: number }[], items: SupplyItem[] | undefined): ItemTotal[] {
  const totals = new Map<string, ItemTotal>();
  const get = (code: string) => {
    let t = totals.get(code);
    if (!t) totals.set(code, (t = { itemCode: code, open: 0, inTransit: 0, received: 0, estimated: 0, gap: 0 }));
    return t;
  };
  for (const r of requests) {
    const t = get(r.itemCode);
    if (r.status === 'requested') t.open += r.needed;
    else if (r.status === 'ordered' || r.status === 'shipped') t.inTransit += r.needed;
    else if (r.status === 'received') t.received += r.needed;
  }
  for (const e of estimateRows) {
    const t = get(e.itemCode);
    t.estimated += e.estimated;
    t.gap += Math.max(0, e.estimated - e.requested);
  }
  const order = (code: string) => {
    const i = items?.findIndex((x) => x.code === code) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...totals.values()]
    .filter((t) => t.open + t.inTransit + t.received + t.estimated > 0)
    .sort((a, b) => order(a.itemCode) - order(b.itemCode) || a.itemCode.localeCompare(b.itemCode));
}

/** HQ supplies: totals by item across shelters with the estimate beside them, and each request's order actions. */
export function HqSuppliesSection({ code }: { code: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { staff } = useSession();
  // Shelter staff see the orders but only HQ moves them (the server refuses others with 403).
  const command = canCommand(staff, code);
  const [days, setDays] = useState<number>(3);
  const [filter, setFilter] = useState<SupplyOrderStatus | ''>('');
  const [done, setDone] = useState<string | null>(null);
  const catalogue = useApi(['supplies', 'catalogue'], (signal) => suppliesApi.catalogue(signal));
  const requests = useApi(['supplies', 'requests', code, {}], (signal) => suppliesApi.requests(code, {}, signal));
  const estimate = useApi(['supplies', 'estimate', code, days], (signal) => suppliesApi.estimate(code, days, signal));
  const { busy, error, run } = useSubmit();

  const totals = useMemo(
    () => totalsByItem(requests.data ?? [], estimate.data?.rows ?? [], catalogue.data),
    [requests.data, estimate.data, catalogue.data],
  );
  const shown = useMemo(() => (requests.data ?? []).filter((r) => !filter || r.status === filter), [requests.data, filter]);

  const move = (r: SupplyRequestView, to: SupplyOrderStatus) =>
    run(async () => {
      setDone(null);
      const updated = await suppliesApi.setStatus(code, r.id, to);
      requests.setData((prev) => prev?.map((x) => (x.id === updated.id ? updated : x)));
      estimate.reload();
      setDone(t('supplies.hq.changed', {
        shelter: localName({ nameJa: updated.shelterNameJa, nameEn: updated.shelterNameEn }, lang),
        item: itemName(catalogue.data, updated.itemCode, lang),
        status: t(`supplies.status.${updated.status}`),
      }));
    }).then(() => {
      // Someone else may have moved it first (409): show the current state rather than a stale row.
      requests.reload();
    });

  const reload = () => {
    requests.reload();
    estimate.reload();
  };

  const n = (v: number) => formatNumber(v, lang);

  return (
    <Section
      title={t('supplies.hq.heading')}
      actions={
        <Button variant="secondary" onClick={reload}>
          {t('supplies.hq.reload')}
        </Button>
      }
    >
      <ProblemAlert error={catalogue.error} />
      <div className="grid gap-8 xl:grid-cols-2">
        <Section title={t('supplies.hq.summaryHeading')} level={3} className="mt-0">
          <SelectField
            label={t('supplies.hq.days')}
            value={String(days)}
            onChange={(e) => setDays(Number(e.target.value))}
            wrapperClassName="mb-4 max-w-xs"
          >
            {DAY_OPTIONS.map((d) => (
              <option key={d} value={d}>
                {t('supplies.hq.daysOption', { n: d })}
              </option>
            ))}
          </SelectField>
          {(estimate.loading || requests.loading) && <Loading />}
          <ProblemAlert error={estimate.error} />
          {estimate.data && requests.data && (
            <DataTable
              caption={t('supplies.hq.summaryCaption', { days: estimate.data.days })}
              rows={totals}
              rowKey={(r) => r.itemCode}
              columns={[
                { key: 'item', header: t('supplies.hq.item'), cell: (r) => itemName(catalogue.data, r.itemCode, lang) },
                { key: 'open', header: t('supplies.hq.open'), className: 'text-right', cell: (r) => n(r.open) },
                { key: 'inTransit', header: t('supplies.hq.inTransit'), className: 'text-right', cell: (r) => n(r.inTransit) },
                { key: 'received', header: t('supplies.hq.received'), className: 'text-right', cell: (r) => n(r.received) },
                {
                  key: 'estimated', header: t('supplies.hq.estimated', { days: estimate.data!.days }), className: 'text-right',
                  cell: (r) => `${n(r.estimated)} ${itemUnit(catalogue.data, r.itemCode, lang)}`,
                },
                {
                  key: 'gap', header: t('supplies.hq.gap'),
                  cell: (r) => r.gap > 0
                    ? <span className="font-bold text-error-1">▲ {t('supplies.hq.gapShort', { n: n(r.gap) })}</span>
                    : <span>✓ {t('supplies.hq.gapNone')}</span>,
                },
              ]}
            />
          )}
          <details className="mt-4">
            <summary className="min-h-12 cursor-pointer py-2 text-std-16B-170 text-blue-1000 underline">{t('supplies.catalogue.caption')}</summary>
            <CatalogueTable />
          </details>
        </Section>

        <Section title={t('supplies.hq.requestsHeading')} level={3} className="mt-0">
          <SelectField
            label={t('supplies.hq.filter')}
            value={filter}
            onChange={(e) => setFilter(e.target.value as SupplyOrderStatus | '')}
            wrapperClassName="mb-4 max-w-xs"
          >
            <option value="">{t('supplies.hq.filterAll')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`supplies.status.${s}`)}
              </option>
            ))}
          </SelectField>
          <ProblemAlert error={error} />
          <ProblemAlert error={requests.error} />
          <StatusMessage message={done} className="mb-4" />
          {requests.data && shown.length === 0 && <p className="text-std-16N-170">{t('supplies.hq.empty')}</p>}
          {shown.length > 0 && (
            <DataTable
              caption={t('supplies.hq.requestsCaption')}
              rows={shown}
              rowKey={(r) => r.id}
              columns={[
                { key: 'shelter', header: t('supplies.hq.shelter'), cell: (r) => localName({ nameJa: r.shelterNameJa, nameEn: r.shelterNameEn }, lang) },
                { key: 'item', header: t('supplies.list.item'), cell: (r) => itemName(catalogue.data, r.itemCode, lang) },
                {
                  key: 'needed', header: t('supplies.list.needed'), className: 'text-right',
                  cell: (r) => `${n(r.needed)} ${itemUnit(catalogue.data, r.itemCode, lang)}`,
                },
                { key: 'stock', header: t('supplies.list.inStock'), className: 'text-right', cell: (r) => `${n(r.inStock)}（${t(`supplies.stock.${r.stockStatus}`)}）` },
                { key: 'status', header: t('supplies.list.status'), cell: (r) => <SupplyStatusBadge status={r.status} /> },
                { key: 'at', header: t('supplies.list.updatedAt'), cell: (r) => formatDateTime(r.updatedAt, lang) },
                { key: 'note', header: t('supplies.list.note'), cell: (r) => r.note },
                ...(!command ? [] : [{
                  key: 'actions', header: t('supplies.hq.actions'),
                  cell: (r) => (
                    <div className="flex flex-wrap gap-2">
                      {ACTIONS[r.status].map((a) => (
                        <Button
                          key={a.to}
                          variant={a.variant}
                          disabled={busy}
                          onClick={() => void move(r, a.to)}
                          aria-label={t('supplies.hq.actionLabel', {
                            action: t(`supplies.hq.${a.label}`),
                            shelter: localName({ nameJa: r.shelterNameJa, nameEn: r.shelterNameEn }, lang),
                            item: itemName(catalogue.data, r.itemCode, lang),
                          })}
                        >
                          {t(`supplies.hq.${a.label}`)}
                        </Button>
                      ))}
                    </div>
                  ),
                } satisfies Column<SupplyRequestView>]),
              ]}
            />
          )}
        </Section>
      </div>
    </Section>
  );
}
