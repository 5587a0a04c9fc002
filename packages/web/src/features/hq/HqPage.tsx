import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HqOverview, ShelterSummary, ShelterView } from '../../api/shelterTypes';
import { useApi } from '../../hooks/useApi';
import { useSession } from '../../session/SessionContext';
import { localName, useLang, withCode } from '../../lib/localized';
import { formatDateTime } from '../../lib/format';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { Section } from '../../components/Section/Section';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { Button } from '../../components/Button/Button';
import { DataTable } from '../../components/DataTable/DataTable';
import { ShelterMap, type MapShelter } from '../../components/ShelterMap/ShelterMap';
import { congestionOf } from '../../components/ShelterMap/congestion';
import { MunicipalityScope } from '../../components/MunicipalityScope/MunicipalityScope';
import { useMunicipalityScope } from '../../components/MunicipalityScope/useMunicipalityScope';
import { HqSuppliesSection } from '../supplies/HqSuppliesSection';
import { canCommand as mayCommand, hqApi } from './hqApi';
import { useHqLive, type LiveState } from './useHqLive';
import { useRowLabels, type RowLabels } from './labels';
import { ShelterTable, type ShelterTableHandle } from './ShelterTable';
import { DeclareForm, DisasterSection } from './DisasterSection';
import { OpenShelterForm, StatusPanel } from './StatusControls';

/** The page renders again on every live update; the supplies section need not. */
const Supplies = memo(HqSuppliesSection);

/**
 * The disaster HQ dashboard (災害対策本部): disasters, every open shelter with live counts (Server-Sent
 * Events), status controls, people outside shelters, our residents in partner shelters, supplies.
 */
export function HqPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { staff, municipalities } = useSession();
  const [code, setCode] = useMunicipalityScope();
  const command = mayCommand(staff, code);
  const labels = useRowLabels();

  const live = useHqLive(code);
  // The whole registry (for opening closed shelters) waits for the live overview: the table comes first.
  const overviewReady = live.overview !== undefined;
  const registry = useApi(['hq', 'shelters', code], command && overviewReady ? (signal) => hqApi.shelters(code, signal) : null);
  // Supplies too: their estimate is a large answer built from the same live counts, and its requests and
  // rendering competed with the table's (measured: the overview took 1.3 s instead of 0.4 s). Deferred,
  // they render after the table has been drawn.
  // (Also once the overview has failed: supplies do not depend on it.)
  const showSupplies = useDeferredValue(overviewReady || !live.loading, false);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const municipality = municipalities?.find((m) => m.code === code);
  const areaName = municipality ? localName(municipality, lang) : code;

  const activeDisasters = useMemo(
    () =>
      (live.overview?.disasters ?? [])
        .filter((d) => d.endedAt === null)
        .sort((a, b) => Date.parse(b.declaredAt) - Date.parse(a.declaredAt)),
    [live.overview],
  );

  const { reload } = live;
  const reloadRegistry = registry.reload;
  const afterWrite = useCallback(
    (msg: string) => {
      setMessage(msg);
      reload();
      reloadRegistry();
    },
    [reload, reloadRegistry],
  );
  // The table is windowed when long: a row may not be in the DOM, so the table scrolls to it first.
  const table = useRef<ShelterTableHandle>(null);
  // Back to the row's button when the panel closes (it would otherwise fall to the page body).
  const closePanel = useCallback((shelterId: string | null) => {
    setEditing(null);
    if (shelterId) {
      requestAnimationFrame(() => table.current?.focusRow(shelterId, 'button'));
    }
  }, []);
  const afterStatus = useCallback(
    (updated: ShelterView, msg: string) => {
      closePanel(updated.id);
      afterWrite(msg);
    },
    [afterWrite, closePanel],
  );
  const afterOpen = useCallback((_updated: ShelterView, msg: string) => afterWrite(msg), [afterWrite]);

  // Stable, so that memoised rows do not render again when the page does.
  const openStatusPanel = useCallback((shelterId: string) => {
    setMessage(null);
    setEditing(shelterId);
  }, []);
  const showRow = useCallback((shelterId: string) => {
    table.current?.focusRow(shelterId, 'row');
  }, []);

  const editingShelter = editing ? live.shelters.get(editing) : undefined;
  const closedShelters = useMemo(
    () => (registry.data ?? []).filter((s) => !live.shelters.has(s.id)),
    [registry.data, live.shelters],
  );

  return (
    <>
      <PageHeading>{t('hq.title')}</PageHeading>
      <p className="mt-4">{t('hq.lead')}</p>
      <MunicipalityScope value={code} onChange={setCode} />
      {!command && <p className="mt-4 rounded-8 border border-solid-gray-420 bg-solid-gray-50 px-4 py-3">{t('hq.readOnly')}</p>}

      <div className="mt-4 flex flex-wrap items-center gap-4">
        <LiveIndicator state={live.live} />
        <Button variant="secondary" onClick={live.reload}>
          {t('hq.reload')}
        </Button>
        {live.overview && (
          <span className="text-dns-16N-130 text-solid-gray-700">
            {t('hq.generatedAt', { time: formatDateTime(live.overview.generatedAt, lang) })}
          </span>
        )}
      </div>
      <StatusMessage message={message} className="mt-4" />
      <ProblemAlert error={live.error} className="mt-4" />
      {live.loading && !live.overview && <Loading />}

      {live.overview && (
        <>
          <Totals shelters={live.shelters} labels={labels} />
          <DisasterSection code={code} active={activeDisasters} canCommand={command} onChanged={afterWrite} />
          {/* With no disaster, declaring one is the first thing to do; otherwise the form waits at the bottom. */}
          {command && activeDisasters.length === 0 && <DeclareForm code={code} onDeclared={afterWrite} />}

          {editingShelter && (
            <StatusPanel
              key={editingShelter.shelterId}
              code={code}
              shelter={{
                id: editingShelter.shelterId,
                name: localName(editingShelter, lang),
                status: editingShelter.status,
                disasterId: editingShelter.disasterId,
              }}
              disasters={activeDisasters}
              onDone={afterStatus}
              onCancel={() => closePanel(editingShelter.shelterId)}
            />
          )}

          <Section title={t('hq.table.title')}>
            <ShelterTable
              ref={table}
              shelters={live.shelters}
              labels={labels}
              canCommand={command}
              onChangeStatus={openStatusPanel}
            />
          </Section>

          <Section title={t('hq.map.title')}>
            <HqMap shelters={live.shelters} areaName={areaName} onSelect={showRow} />
          </Section>

          {command && (
            <>
              <ProblemAlert error={registry.error} className="mt-8" />
              {registry.data && (
                <OpenShelterForm code={code} closed={closedShelters} disasters={activeDisasters} onDone={afterOpen} />
              )}
            </>
          )}

          <OutsideSection overview={live.overview} labels={labels} />
          <ElsewhereSection overview={live.overview} labels={labels} />
        </>
      )}

      {showSupplies && <Supplies code={code} />}
      {live.overview && command && activeDisasters.length > 0 && <DeclareForm code={code} onDeclared={afterWrite} />}
    </>
  );
}

function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  const style =
    state === 'live'
      ? { cls: 'border-green-800 bg-green-50 text-green-1000', mark: '●' }
      : { cls: 'border-orange-800 bg-orange-50 text-orange-1100', mark: '◌' };
  return (
    <p role="status" aria-live="polite" data-testid="hq-live-state" data-state={state} className="flex items-center gap-2">
      <span className="text-std-16B-170">{t('hq.live.label')}:</span>
      <span className={`inline-flex items-center gap-1 rounded-4 border px-2 text-dns-16B-130 ${style.cls}`}>
        <span aria-hidden="true">{style.mark}</span>
        {t(`hq.live.${state}`)}
      </span>
    </p>
  );
}

function Totals({ shelters, labels }: { shelters: ReadonlyMap<string, ShelterSummary>; labels: RowLabels }) {
  const { t } = useTranslation();
  const totals = useMemo(() => {
    let present = 0;
    let out = 0;
    let households = 0;
    let capacity = 0;
    for (const s of shelters.values()) {
      present += s.present;
      out += s.out;
      households += s.households;
      capacity += s.capacity ?? 0;
    }
    return { count: shelters.size, present, out, households, capacity };
  }, [shelters]);
  const items: [string, string, string][] = [
    ['shelters', t('hq.totals.shelters'), labels.num(totals.count)],
    ['present', t('hq.totals.present'), labels.num(totals.present)],
    ['out', t('hq.totals.out'), labels.num(totals.out)],
    ['households', t('hq.totals.households'), labels.num(totals.households)],
    ['capacity', t('hq.totals.capacity'), labels.num(totals.capacity)],
    [
      'occupancy',
      t('hq.totals.occupancy'),
      totals.capacity > 0 ? `${Math.round((totals.present / totals.capacity) * 100)}%` : '—',
    ],
  ];
  return (
    <Section title={t('hq.totals.title')}>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="hq-totals">
        {items.map(([key, label, value]) => (
          <div key={key} className="rounded-12 border border-solid-gray-420 p-3">
            <dt className="text-dns-16N-130 text-solid-gray-700">{label}</dt>
            <dd className="text-std-28B-150 tabular-nums" data-testid={`hq-total-${key}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

const NO_POINTS: MapShelter[] = [];

function HqMap({
  shelters,
  areaName,
  onSelect,
}: {
  shelters: ReadonlyMap<string, ShelterSummary>;
  areaName: string;
  onSelect: (id: string) => void;
}) {
  const lang = useLang();
  // The map's circles are memoised on their values: a new list with the same values draws nothing again.
  const points = useMemo<MapShelter[]>(
    () =>
      [...shelters.values()].map((s) => ({
        id: s.shelterId,
        name: localName(s, lang),
        latitude: s.latitude,
        longitude: s.longitude,
        capacity: s.capacity,
        present: s.present,
        status: s.status,
        congestion: congestionOf(s.present, s.capacity, s.status),
      })),
    [shelters, lang],
  );
  // The map draws after the table (a low-priority render): the table is what HQ reads first.
  const deferred = useDeferredValue(points, NO_POINTS);
  if (deferred === NO_POINTS && points.length > 0) return <Loading />;
  return <ShelterMap shelters={deferred} areaName={areaName} onSelect={onSelect} labels />;
}

function OutsideSection({ overview, labels }: { overview: HqOverview; labels: RowLabels }) {
  const { t } = useTranslation();
  const places = ['home', 'car', 'tent', 'other'] as const;
  const total = places.reduce((n, p) => n + (overview.outside[p] ?? 0), 0);
  return (
    <Section title={t('hq.outside.title')}>
      <p className="mb-3">{t('hq.outside.lead')}</p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="hq-outside">
        {places.map((p) => (
          <div key={p} className="rounded-12 border border-solid-gray-420 p-3">
            <dt className="text-dns-16N-130 text-solid-gray-700">{t(`hq.outsidePlace.${p}`)}</dt>
            <dd className="text-std-24B-150 tabular-nums" data-testid={`hq-outside-${p}`}>
              {labels.num(overview.outside[p] ?? 0)}
            </dd>
          </div>
        ))}
        <div className="rounded-12 border-2 border-solid-gray-800 p-3">
          <dt className="text-dns-16N-130 text-solid-gray-700">{t('hq.outside.total')}</dt>
          <dd className="text-std-24B-150 tabular-nums">{labels.num(total)}</dd>
        </div>
      </dl>
    </Section>
  );
}

function ElsewhereSection({ overview, labels }: { overview: HqOverview; labels: RowLabels }) {
  const { t } = useTranslation();
  const { municipalities } = useSession();
  const lang = labels.lang;
  const municipalityName = (code: string) => {
    const m = municipalities?.find((x) => x.code === code);
    return m ? withCode(localName(m, lang), code, lang) : code;
  };
  type Row = HqOverview['residentsElsewhere'][number];
  return (
    <Section title={t('hq.elsewhere.title')}>
      <p className="mb-3">{t('hq.elsewhere.lead')}</p>
      {overview.residentsElsewhere.length === 0 ? (
        <p data-testid="hq-elsewhere-none">{t('hq.elsewhere.none')}</p>
      ) : (
        <DataTable<Row>
          caption={t('hq.elsewhere.caption')}
          rows={overview.residentsElsewhere}
          rowKey={(r) => r.shelterId}
          columns={[
            { key: 'municipality', header: t('hq.elsewhere.municipality'), cell: (r) => municipalityName(r.municipalityCode) },
            { key: 'shelter', header: t('hq.elsewhere.shelter'), cell: (r) => localName(r, lang) },
            {
              key: 'count',
              header: t('hq.elsewhere.count'),
              cell: (r) => <span data-testid={`hq-elsewhere-${r.shelterId}`}>{labels.num(r.count)}</span>,
              className: 'text-right tabular-nums',
            },
          ]}
        />
      )}
    </Section>
  );
}
