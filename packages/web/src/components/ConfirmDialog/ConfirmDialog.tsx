import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from '../Button/Button';
import { ProblemAlert } from '../ProblemAlert/ProblemAlert';

export interface ConfirmDialogProps {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel: ReactNode;
  busy?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation on the native <dialog> (focus kept inside, Esc cancels, focus returns to
 * the opener). Shown while mounted; the safe choice (cancel) has the focus first.
 */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-12 border-2 border-solid-gray-800 bg-white p-6 text-solid-gray-900 backdrop:bg-black/50"
    >
      <h2 id={titleId} className="text-std-24B-150">
        {title}
      </h2>
      <div className="mt-3 text-std-18N-160">{children}</div>
      <ProblemAlert error={error} className="mt-3" />
      <div className="mt-6 flex flex-col gap-3 sm:flex-row-reverse sm:justify-start">
        <Button variant="danger" className="min-h-14 px-8" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
        <Button variant="secondary" className="min-h-14 px-8" disabled={busy} onClick={onCancel} autoFocus>
          {cancelLabel}
        </Button>
      </div>
    </dialog>
  );
}
