import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isProblemError } from '../../api/api';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { useLang } from '../../lib/localized';

export interface ErrorSummaryItem {
  /** The control's id (the link jumps there). */
  targetId: string | null;
  label: string;
  message: string;
}

/**
 * The top of a form after a failed save: what went wrong in plain words and a link to each field
 * that needs checking (the same messages also sit next to the fields). Takes the focus when it
 * appears so screen reader and keyboard users land on it. Without field items it is a ProblemAlert.
 */
export function ErrorSummary({
  error,
  items,
  focusKey,
  className = '',
}: {
  error: unknown;
  items: ErrorSummaryItem[];
  /** Changes once per failed attempt (the error or the check result): the summary takes the focus then, not on every render. */
  focusKey: unknown;
  className?: string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const shown = items.length > 0;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, focusKey]);

  if (!shown) return <ProblemAlert error={error} className={className} />;
  const serverMessage = isProblemError(error) ? error.problem.messages?.[lang] : undefined;
  return (
    <div ref={ref} tabIndex={-1} role="alert" className={`rounded-8 border-2 border-error-1 bg-red-50 px-4 py-3 text-std-18N-160 ${className}`}>
      <p className="flex gap-2 text-std-18B-160">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="mt-1 size-5 shrink-0 fill-error-1">
          <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
        </svg>
        <span>{t('myShelter.prereg.fixErrors', { count: items.length })}</span>
      </p>
      {serverMessage && <p className="mt-1">{serverMessage}</p>}
      <ul className="ml-6 mt-2 list-disc">
        {items.map((item, i) => (
          <li key={`${item.label}-${i}`}>
            {item.targetId ? (
              <a
                href={`#${item.targetId}`}
                className="text-blue-1000 underline underline-offset-[3px]"
                onClick={(e) => {
                  // Focus the control itself (a plain hash jump only scrolls).
                  const el = document.getElementById(item.targetId!);
                  if (el) {
                    e.preventDefault();
                    el.focus();
                    el.scrollIntoView({ block: 'center' });
                  }
                }}
              >
                {item.label}
              </a>
            ) : (
              <span>{item.label}</span>
            )}
            {': '}
            {item.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
