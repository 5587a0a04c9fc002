import { useTranslation } from 'react-i18next';
import { isProblemError } from '../../api/api';
import { useLang } from '../../lib/localized';

export interface ProblemAlertProps {
  error: unknown;
  className?: string;
}

/** Shows an API problem (or any error) in the current language, announced to screen readers. */
export function ProblemAlert({ error, className = '' }: ProblemAlertProps) {
  const { t } = useTranslation();
  const lang = useLang();
  if (error === undefined || error === null) return null;

  let message: string = t('errors.unknown');
  let fields: { path: string; message: string }[] = [];
  if (isProblemError(error)) {
    const localized = error.problem.messages?.[lang];
    if (localized) message = localized;
    else if (error.status === 0) message = t('errors.network');
    else if (error.status === 429) message = t('errors.rateLimited');
    else if (error.status >= 500) message = error.problem.title ?? t('errors.server');
    else message = error.problem.title ?? t('errors.unknown');
    fields = error.fieldErrors;
  }

  return (
    <div
      role="alert"
      className={`rounded-8 border-2 border-error-1 bg-red-50 px-4 py-3 text-std-16N-170 text-solid-gray-900 ${className}`}
    >
      <p className="flex gap-2">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="mt-1 size-5 shrink-0 fill-error-1">
          <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
        </svg>
        <span className="text-std-16B-170">{message}</span>
      </p>
      {fields.length > 0 && (
        <div className="mt-2">
          <p>{t('errors.fieldErrors')}</p>
          <ul className="ml-6 list-disc">
            {fields.map((f, i) => (
              <li key={`${f.path}-${i}`}>
                <code className="font-mono">{f.path || '/'}</code>: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
