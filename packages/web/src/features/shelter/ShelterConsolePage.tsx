import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { MovementRequest, Need, RosterEntry, ShelterView } from '../../api/shelterTypes';
import { useSession } from '../../session/SessionContext';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { useLang } from '../../lib/localized';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { Button } from '../../components/Button/Button';
import { SelectField, TextField } from '../../components/Field/Field';
import { DataTable } from '../../components/DataTable/DataTable';
import { Section } from '../../components/Section/Section';
import { ShelterSuppliesSection } from '../supplies/ShelterSuppliesSection';
import { NEED_ICONS, NeedBadges } from './NeedBadges';
import { NEEDS, shelterApi, sortShelters } from './shelterApi';

const CHOICE_KEY = 'kazashi.shelterConsole.shelter';

/**
 * /shelter: the shelter staff console: roster with per-person movements, needs summary, paper
 * fallbacks (CSV, printed A4 roster) and the shelter's supply requests.
 */
export function ShelterConsolePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { staff } = useSession();
  const code = staff.municipalityCode;
  const shelters = useApi(['shelter', 'shelters', code, 'sorted'], (s) => shelterApi.shelters(code, s).then(sortShelters));
  const [shelterId, setShelterId] = useState(() => localStorage.getItem(CHOICE_KEY) ?? '');
  const shelter = shelters.data?.find((s) => s.id === shelterId);
  const pick = (id: string) => {
    localStorage.setItem(CHOICE_KEY, id);
    setShelterId(id);
  };
  const name = (s: ShelterView) => (lang === 'en' ? s.nameEn || s.nameJa : s.nameJa);

  return (
    <>
      <div className="print:hidden">
        <PageHeading>{t('shelter.console.title')}</PageHeading>
        {shelters.loading && <Loading />}
        <ProblemAlert error={shelters.error} className="mt-3" />
        {shelters.data && (
          <div className="mt-4 flex flex-wrap items-end gap-4">
            <SelectField label={t('shelter.console.shelter')} value={shelter ? shelterId : ''} onChange={(e) => pick(e.target.value)}>
              <option value="">{t('shelter.console.choose')}</option>
              {shelters.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {name(s)} — {t(`shelter.status.${s.status}`)}
                </option>
              ))}
            </SelectField>
            <Link to="/shelter/kiosk" className="inline-flex min-h-11 items-center text-blue-900 underline">
              {t('shelter.console.kiosk')}
            </Link>
            <Link to="/shelter/intake-cards" className="inline-flex min-h-11 items-center text-blue-900 underline">
              {t('shelter.console.intakeCards')}
            </Link>
          </div>
        )}
      </div>
      {shelter && shelters.data && <ShelterOps key={shelter.id} code={code} shelter={shelter} shelters={shelters.data} name={name} />}
    </>
  );
}

type Action = 'out' | 'back' | 'check-out' | 'transfer';

function ShelterOps({ code, shelter, shelters, name }: { code: string; shelter: ShelterView; shelters: ShelterView[]; name: (s: ShelterView) => string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'all' | 'in' | 'out'>('all');
  const [need, setNeed] = useState<Need | ''>('');
  // Both lists of this shelter: refetched together after a movement.
  const queryClient = useQueryClient();
  const rosterKey = ['shelter', 'roster', code, shelter.id];
  const roster = useApi([...rosterKey, { q, status, need }], (s) => shelterApi.roster(code, shelter.id, { q, status, need }, s));
  const everyone = useApi([...rosterKey, { status: 'all' }], (s) => shelterApi.roster(code, shelter.id, { status: 'all' }, s));
  const [history, setHistory] = useState<RosterEntry | null>(null);
  const [transfer, setTransfer] = useState<RosterEntry | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = useSubmit();
  const personName = (r: RosterEntry) => r.nameKanji ?? t('shelter.console.nameHidden');

  const move = (r: RosterEntry, kind: Action, toShelterId?: string) =>
    act.run(async () => {
      const body: MovementRequest = { idempotencyKey: crypto.randomUUID(), kind, ...(toShelterId ? { toShelterId } : {}) };
      await shelterApi.move(r.stay.municipalityCode, r.stay.stayId, body);
      const label = { out: t('shelter.console.out'), back: t('shelter.console.back'), 'check-out': t('shelter.console.checkOut'), transfer: t('shelter.console.transfer') }[kind];
      setDone(t('shelter.console.done', { name: personName(r), action: label }));
      setTransfer(null);
      void queryClient.invalidateQueries({ queryKey: rosterKey });
    });
  const confirmMove = (r: RosterEntry, kind: Exclude<Action, 'transfer'>) => {
    const msg = { out: 'shelter.console.confirmOut', back: 'shelter.console.confirmBack', 'check-out': 'shelter.console.confirmCheckOut' } as const;
    if (window.confirm(t(msg[kind], { name: personName(r) }))) void move(r, kind);
  };

  const summary = useMemo(() => {
    const all = everyone.data ?? [];
    const needs = Object.fromEntries(NEEDS.map((n) => [n, 0])) as Record<Need, number>;
    const languages: Record<string, number> = {};
    for (const r of all) {
      for (const n of r.stay.needs) needs[n] += 1;
      if (r.language && r.language !== 'ja') languages[r.language] = (languages[r.language] ?? 0) + 1;
    }
    return {
      present: all.filter((r) => r.stay.status === 'in').length,
      out: all.filter((r) => r.stay.status === 'out').length,
      households: new Set(all.map((r) => r.householdId)).size,
      needs,
      languages,
    };
  }, [everyone.data]);

  const [printedAt, setPrintedAt] = useState('');
  const print = () => {
    setPrintedAt(new Date().toLocaleString());
    // Let React render the time before the print dialog takes its snapshot.
    setTimeout(() => window.print(), 50);
  };

  return (
    <>
      <div className="print:hidden">
        <p className="mt-4 text-std-18B-160">{t('shelter.console.present', summary)}</p>
        <Section title={t('shelter.console.summary')} className="mt-6">
          <ul className="flex flex-wrap gap-3">
            {NEEDS.map((n) => (
              <li key={n} className="rounded-8 border border-solid-gray-420 px-3 py-2 text-std-16N-170">
                <span aria-hidden="true">{NEED_ICONS[n]} </span>
                {t(`shelter.needs.${n}`)}: <strong>{summary.needs[n]}</strong>
              </li>
            ))}
          </ul>
          {Object.keys(summary.languages).length > 0 && (
            <p className="mt-3">
              {t('shelter.console.languagesTitle')}:{' '}
              {Object.entries(summary.languages)
                .map(([l, n]) => `${l} ${n}`)
                .join('、')}
            </p>
          )}
        </Section>

        <Section title={t('shelter.console.roster')} className="mt-8">
          <div className="flex flex-wrap items-end gap-4">
            <TextField label={t('shelter.console.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            <SelectField label={t('shelter.console.statusFilter')} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="all">{t('shelter.console.statusAll')}</option>
              <option value="in">{t('shelter.console.statusIn')}</option>
              <option value="out">{t('shelter.console.statusOut')}</option>
            </SelectField>
            <SelectField label={t('shelter.console.needFilter')} value={need} onChange={(e) => setNeed(e.target.value as Need | '')}>
              <option value="">{t('shelter.console.needAll')}</option>
              {NEEDS.map((n) => (
                <option key={n} value={n}>
                  {t(`shelter.needs.${n}`)}
                </option>
              ))}
            </SelectField>
            <a href={shelterApi.rosterCsvUrl(code, shelter.id)} download className="inline-flex min-h-11 items-center text-blue-900 underline">
              {t('shelter.console.csv')}
            </a>
            <Button variant="secondary" onClick={print}>
              {t('shelter.console.print')}
            </Button>
            <Link to={`/shelter/outside-poster?shelter=${shelter.id}`} className="inline-flex min-h-11 items-center text-blue-900 underline">
              {t('shelter.poster.link')}
            </Link>
          </div>
          <StatusMessage message={done} className="mt-3" />
          <ProblemAlert error={act.error ?? roster.error} className="mt-3" />
          {roster.loading && <Loading />}
          {roster.data && roster.data.length === 0 && <p className="mt-3">{t('shelter.console.empty')}</p>}
          {roster.data && roster.data.length > 0 && (
            <div className="mt-3">
              <DataTable
                caption={t('shelter.console.roster')}
                rows={roster.data}
                rowKey={(r) => r.stay.stayId}
                columns={[
                  {
                    key: 'name',
                    header: t('shelter.console.name'),
                    cell: (r) => (
                      <>
                        <span className="font-bold">{personName(r)}</span>
                        {r.nameKana && <span className="ml-2">{r.nameKana}</span>}
                        {r.municipalityCode !== code && <span className="ml-2">({t('shelter.console.otherMunicipality')})</span>}
                      </>
                    ),
                  },
                  { key: 'status', header: t('shelter.console.statusCol'), cell: (r) => <StayStatusBadge status={r.stay.status} /> },
                  { key: 'needs', header: t('shelter.console.needsCol'), cell: (r) => <NeedBadges needs={r.stay.needs} language={r.language} /> },
                  { key: 'since', header: t('shelter.console.since'), cell: (r) => new Date(r.stay.checkedInAt).toLocaleString() },
                  {
                    key: 'actions',
                    header: t('shelter.console.actions'),
                    cell: (r) => (
                      <div className="flex flex-wrap gap-2">
                        {r.stay.status === 'in' && (
                          <Button variant="secondary" disabled={act.busy} onClick={() => confirmMove(r, 'out')}>
                            {t('shelter.console.out')}
                          </Button>
                        )}
                        {r.stay.status === 'out' && (
                          <Button variant="secondary" disabled={act.busy} onClick={() => confirmMove(r, 'back')}>
                            {t('shelter.console.back')}
                          </Button>
                        )}
                        <Button variant="secondary" disabled={act.busy} onClick={() => setTransfer(r)}>
                          {t('shelter.console.transfer')}
                        </Button>
                        <Button variant="danger" disabled={act.busy} onClick={() => confirmMove(r, 'check-out')}>
                          {t('shelter.console.checkOut')}
                        </Button>
                        <Button variant="text" onClick={() => setHistory(r)}>
                          {t('shelter.console.history')}
                        </Button>
                      </div>
                    ),
                  },
                ]}
              />
            </div>
          )}
          {transfer && (
            <TransferDialog
              entry={transfer}
              name={personName(transfer)}
              targets={shelters.filter((s) => s.id !== shelter.id && s.status !== 'closed')}
              shelterName={name}
              busy={act.busy}
              onCancel={() => setTransfer(null)}
              onTransfer={(to) => void move(transfer, 'transfer', to)}
            />
          )}
          {history && <HistoryDialog code={code} entry={history} name={personName(history)} shelters={shelters} shelterName={name} onClose={() => setHistory(null)} />}
        </Section>

        <div className="mt-8">
          <ShelterSuppliesSection code={code} shelterId={shelter.id} />
        </div>
      </div>
      <PrintRoster shelter={shelter} rows={everyone.data ?? []} printedAt={printedAt} />
    </>
  );
}

function StayStatusBadge({ status }: { status: RosterEntry['stay']['status'] }) {
  const { t } = useTranslation();
  const mark = status === 'in' ? '●' : status === 'out' ? '◐' : '○';
  return (
    <span className="inline-flex items-center gap-1 rounded-8 border border-solid-gray-536 px-2">
      <span aria-hidden="true">{mark}</span>
      {t(`shelter.console.stayStatus.${status}`)}
    </span>
  );
}

function TransferDialog(props: {
  entry: RosterEntry;
  name: string;
  targets: ShelterView[];
  shelterName: (s: ShelterView) => string;
  busy: boolean;
  onCancel: () => void;
  onTransfer: (toShelterId: string) => void;
}) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  return (
    <div role="dialog" aria-modal="false" aria-labelledby="transfer-title" className="mt-4 rounded-8 border-2 border-blue-900 p-4">
      <h3 id="transfer-title" className="text-std-20B-150">
        {t('shelter.console.transfer')}: {props.name}
      </h3>
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (to) props.onTransfer(to);
        }}
      >
        <SelectField label={t('shelter.console.transferTo')} value={to} onChange={(e) => setTo(e.target.value)} required>
          <option value="">{t('shelter.console.choose')}</option>
          {props.targets.map((s) => (
            <option key={s.id} value={s.id}>
              {props.shelterName(s)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" disabled={props.busy || !to}>
          {t('shelter.console.confirmTransfer')}
        </Button>
        <Button variant="secondary" onClick={props.onCancel}>
          {t('shelter.console.cancel')}
        </Button>
      </form>
    </div>
  );
}

function HistoryDialog(props: { code: string; entry: RosterEntry; name: string; shelters: ShelterView[]; shelterName: (s: ShelterView) => string; onClose: () => void }) {
  const { t } = useTranslation();
  const moves = useApi(
    ['shelter', 'movements', props.entry.stay.municipalityCode, props.entry.stay.stayId],
    (s) => shelterApi.movements(props.entry.stay.municipalityCode, props.entry.stay.stayId, s),
  );
  const shelterOf = (id: string | null) => {
    const s = id ? props.shelters.find((x) => x.id === id) : undefined;
    return s ? props.shelterName(s) : '';
  };
  return (
    <div role="dialog" aria-modal="false" aria-labelledby="history-title" className="mt-4 rounded-8 border-2 border-blue-900 p-4">
      <h3 id="history-title" className="text-std-20B-150">
        {t('shelter.console.historyTitle', { name: props.name })}
      </h3>
      {moves.loading && <Loading />}
      <ProblemAlert error={moves.error} />
      {moves.data && (
        <ol className="mt-2 list-decimal pl-6">
          {moves.data.map((m, i) => (
            <li key={i}>
              {new Date(m.at).toLocaleString()} — {t(`shelter.console.kinds.${m.kind}`)} {shelterOf(m.shelterId)}
              {m.toShelterId ? ` → ${shelterOf(m.toShelterId)}` : ''}
            </li>
          ))}
        </ol>
      )}
      <Button variant="secondary" className="mt-3" onClick={props.onClose}>
        {t('shelter.console.close')}
      </Button>
    </div>
  );
}

function PrintRoster({ shelter, rows, printedAt }: { shelter: ShelterView; rows: RosterEntry[]; printedAt: string }) {
  const { t } = useTranslation();
  return (
    <div id="shelter-print-roster" data-print-sheet="roster" className="hidden print:block text-[10pt]">
      <h2 className="text-[14pt] font-bold">
        {shelter.nameJa} — {t('shelter.console.roster')}
      </h2>
      <p>{t('shelter.console.printedAt', { at: printedAt })}</p>
      <table className="mt-2 w-full border-collapse">
        <thead>
          <tr>
            {[t('shelter.console.name'), t('shelter.console.statusCol'), t('shelter.console.needsCol'), t('shelter.console.since')].map((h) => (
              <th key={h} className="border border-black px-1 text-left">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.stay.stayId} className="break-inside-avoid">
              <td className="border border-black px-1">
                {r.nameKanji ?? t('shelter.console.nameHidden')} {r.nameKana ?? ''}
              </td>
              <td className="border border-black px-1">{t(`shelter.console.stayStatus.${r.stay.status}`)}</td>
              <td className="border border-black px-1">{r.stay.needs.map((n) => t(`shelter.needs.${n}`)).join('・')}</td>
              <td className="border border-black px-1">{new Date(r.stay.checkedInAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
