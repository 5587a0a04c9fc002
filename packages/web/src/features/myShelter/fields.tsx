import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Form controls of the resident's shelter page: the look of components/Field (Digital Agency theme)
 * one size larger for older residents, with the field's own error message under the label, tied to
 * the control by aria-describedby and aria-invalid (components/Field has no per-field error).
 */
const controlClass =
  'block w-full min-h-14 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-18N-160 text-solid-gray-900 ' +
  'hover:border-black aria-invalid:border-2 aria-invalid:border-error-1 disabled:border-solid-gray-300 disabled:bg-solid-gray-50';

interface ShellProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  className?: string;
  id?: string;
  children: (a11y: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true; required?: boolean }) => ReactNode;
}

function Shell({ label, hint, error, required, className = '', id, children }: ShellProps) {
  const { t } = useTranslation();
  const auto = useId();
  const controlId = id ?? auto;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`flex flex-col gap-2 ${className}`}>
      <div className="flex flex-wrap items-baseline gap-x-2">
        <label htmlFor={controlId} className="text-std-18B-160">
          {label}
        </label>
        {required && (
          <span aria-hidden="true" className="text-dns-16N-130 text-error-2">
            ※{t('common.required')}
          </span>
        )}
      </div>
      {hint && (
        <p id={hintId} className="text-std-16N-170 text-solid-gray-700">
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId!}>{error}</FieldErrorText>}
      {children({ id: controlId, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined, required })}
    </div>
  );
}

/** A field's error: red text with an icon, so colour is not the only signal. */
export function FieldErrorText({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="flex gap-2 text-std-16B-170 text-error-1">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="mt-1 size-5 shrink-0 fill-error-1">
        <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

type Common = { label: ReactNode; hint?: ReactNode; error?: string; wrapperClassName?: string; id?: string };

export function BigInput({ label, hint, error, wrapperClassName, id, required, className = '', ...rest }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  return (
    <Shell label={label} hint={hint} error={error} required={required} className={wrapperClassName} id={id}>
      {(a11y) => <input {...rest} {...a11y} className={`${controlClass} ${className}`} />}
    </Shell>
  );
}

export function BigTextArea({ label, hint, error, wrapperClassName, id, required, className = '', ...rest }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  return (
    <Shell label={label} hint={hint} error={error} required={required} className={wrapperClassName} id={id}>
      {(a11y) => <textarea rows={3} {...rest} {...a11y} className={`${controlClass} ${className}`} />}
    </Shell>
  );
}

export function BigSelect({ label, hint, error, wrapperClassName, id, required, className = '', children, ...rest }: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  return (
    <Shell label={label} hint={hint} error={error} required={required} className={wrapperClassName} id={id}>
      {(a11y) => (
        <select {...rest} {...a11y} className={`${controlClass} cursor-pointer appearance-auto ${className}`}>
          {children}
        </select>
      )}
    </Shell>
  );
}

/** A large checkbox (28px box, the whole bordered card clickable) with an optional explanation under it. */
export function BigCheckbox({
  label,
  help,
  error,
  checked,
  onChange,
  id,
}: {
  label: ReactNode;
  help?: ReactNode;
  error?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  id?: string;
}) {
  const auto = useId();
  const inputId = id ?? auto;
  const helpId = help ? `${inputId}-help` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={`rounded-8 border-2 p-3 ${checked ? 'border-blue-900 bg-blue-50' : 'border-solid-gray-420'}`}>
      <div className="flex items-start gap-3">
        <input
          id={inputId}
          type="checkbox"
          className="mt-1 size-7 shrink-0 cursor-pointer"
          checked={checked}
          aria-describedby={[errorId, helpId].filter(Boolean).join(' ') || undefined}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        <label htmlFor={inputId} className="min-h-11 flex-1 cursor-pointer text-std-18B-160">
          {label}
        </label>
      </div>
      {help && (
        <p id={helpId} className="mt-2 pl-10 text-std-16N-170">
          {help}
        </p>
      )}
      {error && (
        <div className="mt-2 pl-10">
          <FieldErrorText id={errorId}>{error}</FieldErrorText>
        </div>
      )}
    </div>
  );
}
