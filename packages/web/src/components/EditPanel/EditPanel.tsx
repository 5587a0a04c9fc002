import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, SubmitButton } from '../Button/Button';
import { ProblemAlert } from '../ProblemAlert/ProblemAlert';

export interface EditPanelProps {
  /** id of the heading that names the region. */
  headingId: string;
  title: ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  busy: boolean;
  error: unknown;
  children: ReactNode;
}

/** The edit form that opens for one list item: takes focus when shown, with Save and Cancel at the bottom. */
export function EditPanel({ headingId, title, onSubmit, onCancel, busy, error, children }: EditPanelProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section aria-labelledby={headingId} className="mt-8 rounded-12 border-2 border-blue-900 p-4">
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-std-24B-150">
        {title}
      </h2>
      <form onSubmit={onSubmit} className="mt-4 flex flex-col gap-4">
        <ProblemAlert error={error} />
        {children}
        <div className="flex flex-wrap gap-3">
          <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
