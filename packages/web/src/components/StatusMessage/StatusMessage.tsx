export interface StatusMessageProps {
  message: string | null | undefined;
  className?: string;
}

/** A polite live region for success messages. The region stays mounted so updates are announced. */
export function StatusMessage({ message, className = '' }: StatusMessageProps) {
  return (
    <div role="status" aria-live="polite" className={className}>
      {message && (
        <p className="flex gap-2 rounded-8 border-2 border-success-1 bg-green-50 px-4 py-3 text-std-16B-170 text-solid-gray-900">
          <svg aria-hidden="true" viewBox="0 0 24 24" className="mt-1 size-5 shrink-0 fill-success-2">
            <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-1.5 14.5-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4-7 7Z" />
          </svg>
          <span>{message}</span>
        </p>
      )}
    </div>
  );
}
