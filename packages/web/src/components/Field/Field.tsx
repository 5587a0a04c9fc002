import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

const controlClass =
  'block w-full min-h-12 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-16N-170 text-solid-gray-900 ' +
  'hover:border-black aria-invalid:border-2 aria-invalid:border-error-1 disabled:border-solid-gray-300 disabled:bg-solid-gray-50';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  hintId?: string;
  required?: boolean;
  children: ReactNode;
  className?: string;
}

function FieldShell({ id, label, hint, hintId, required, children, className = '' }: FieldShellProps) {
  const { t } = useTranslation();
  return (
    <div className={`flex flex-col gap-2 ${className}`}>
      <div className="flex flex-wrap items-baseline gap-x-2">
        <label htmlFor={id} className="text-std-17B-170">
          {label}
        </label>
        {/* The input's required attribute is what assistive technology announces; this is the visual cue. */}
        {required && (
          <span aria-hidden="true" className="text-dns-14N-130 text-error-2">
            ※{t('common.required')}
          </span>
        )}
      </div>
      {hint && (
        <p id={hintId} className="text-dns-16N-130 text-solid-gray-700">
          {hint}
        </p>
      )}
      {children}
    </div>
  );
}

/** The control's id (given, or generated) and its hint's id when there is a hint. */
function useFieldIds(id: string | undefined, hint: ReactNode): { controlId: string; hintId: string | undefined } {
  const autoId = useId();
  const controlId = id ?? autoId;
  return { controlId, hintId: hint ? `${controlId}-hint` : undefined };
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  id?: string;
  wrapperClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, hint, id, wrapperClassName, className = '', required, ref, ...rest }: TextFieldProps) {
  const { controlId: inputId, hintId } = useFieldIds(id, hint);
  return (
    <FieldShell id={inputId} label={label} hint={hint} hintId={hintId} required={required} className={wrapperClassName}>
      <input
        ref={ref}
        id={inputId}
        aria-describedby={hintId}
        required={required}
        className={`${controlClass} ${className}`}
        {...rest}
      />
    </FieldShell>
  );
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  id?: string;
  wrapperClassName?: string;
}

export function SelectField({
  label,
  hint,
  id,
  wrapperClassName,
  className = '',
  required,
  children,
  ...rest
}: SelectFieldProps) {
  const { controlId: selectId, hintId } = useFieldIds(id, hint);
  return (
    <FieldShell id={selectId} label={label} hint={hint} hintId={hintId} required={required} className={wrapperClassName}>
      <select
        id={selectId}
        aria-describedby={hintId}
        required={required}
        className={`${controlClass} cursor-pointer appearance-auto ${className}`}
        {...rest}
      >
        {children}
      </select>
    </FieldShell>
  );
}

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> {
  label: ReactNode;
  id?: string;
}

/** A checkbox with a large (≥44px) tap target; the whole label is clickable. */
export function Checkbox({ label, id, className = '', ...rest }: CheckboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <div className={`flex items-center ${className}`}>
      <input id={inputId} type="checkbox" className="size-6 shrink-0 cursor-pointer" {...rest} />
      <label htmlFor={inputId} className="flex min-h-11 cursor-pointer items-center py-2 pl-3 pr-2 text-std-16N-170">
        {label}
      </label>
    </div>
  );
}

export interface CheckboxGroupProps {
  legend: ReactNode;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (value: string[]) => void;
  disabled?: boolean;
  idPrefix: string;
  legendClassName?: string;
  className?: string;
  describedBy?: string;
}

export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  disabled,
  idPrefix,
  legendClassName = 'text-std-17B-170',
  className = '',
  describedBy,
}: CheckboxGroupProps) {
  const toggle = (v: string, checked: boolean) => {
    const next = checked ? [...value, v] : value.filter((x) => x !== v);
    // keep the option order stable
    onChange(options.map((o) => o.value).filter((o) => next.includes(o)));
  };
  return (
    <fieldset className={`min-w-0 ${className}`} aria-describedby={describedBy}>
      <legend className={legendClassName}>{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-x-4">
        {options.map((o) => (
          <Checkbox
            key={o.value}
            id={`${idPrefix}-${o.value}`}
            label={o.label}
            checked={value.includes(o.value)}
            disabled={disabled}
            onChange={(e) => toggle(o.value, e.currentTarget.checked)}
          />
        ))}
      </div>
    </fieldset>
  );
}
