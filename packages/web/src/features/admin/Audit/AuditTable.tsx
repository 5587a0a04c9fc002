import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../api/types';
import { formatDateTime } from '../../../lib/format';
import { useLang } from '../../../lib/localized';
import { DataTable } from '../../../components/DataTable/DataTable';

const list = (xs: string[] | undefined) => (xs && xs.length > 0 ? xs.join(', ') : '—');

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <DataTable
      caption={t('audit.resultsCaption', { count: entries.length })}
      rows={entries}
      rowKey={(e) => e.id}
      columns={[
        { key: 'seq', header: t('audit.seq'), cell: (e) => <span className="font-mono">{e.seq ?? t('audit.sealing')}</span> },
        { key: 'at', header: t('audit.at'), cell: (e) => <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>, className: 'whitespace-nowrap' },
        { key: 'actor', header: t('audit.actor'), cell: (e) => e.actor },
        { key: 'action', header: t('audit.action'), cell: (e) => <span className="font-mono">{e.action}</span> },
        { key: 'resident', header: t('audit.residentId'), cell: (e) => <span className="font-mono">{e.residentId ?? '—'}</span> },
        { key: 'purpose', header: t('audit.purpose'), cell: (e) => e.purpose ?? '—' },
        { key: 'categories', header: t('audit.categories'), cell: (e) => list(e.categories) },
        { key: 'fields', header: t('audit.fields'), cell: (e) => list(e.fields) },
        { key: 'requestId', header: t('audit.requestId'), cell: (e) => <span className="font-mono break-all">{e.requestId ?? '—'}</span> },
      ]}
    />
  );
}
