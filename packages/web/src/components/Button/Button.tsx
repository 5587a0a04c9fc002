import type { ButtonHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'text';

const base =
  'inline-flex min-h-12 items-center justify-center gap-2 rounded-8 px-4 py-2 text-oln-16B-100 ' +
  'cursor-pointer disabled:cursor-not-allowed aria-disabled:cursor-not-allowed';

const variants: Record<ButtonVariant, string> = {
  primary:
    'border-2 border-blue-900 bg-blue-900 text-white hover:border-blue-1000 hover:bg-blue-1000 hover:underline ' +
    'active:bg-blue-1200 disabled:border-solid-gray-300 disabled:bg-solid-gray-300 disabled:text-solid-gray-50 disabled:no-underline',
  secondary:
    'border-2 border-blue-900 bg-white text-blue-900 hover:bg-blue-50 hover:text-blue-1000 hover:underline ' +
    'active:bg-blue-100 disabled:border-solid-gray-300 disabled:text-solid-gray-420 disabled:no-underline',
  danger:
    'border-2 border-red-900 bg-white text-red-900 hover:bg-red-50 hover:text-red-1000 hover:underline ' +
    'disabled:border-solid-gray-300 disabled:text-solid-gray-420 disabled:no-underline',
  text: 'text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
}

export function Button({ variant = 'primary', className = '', type = 'button', ...rest }: ButtonProps) {
  return <button type={type} className={`${base} ${variants[variant]} ${className}`} {...rest} />;
}

export interface SubmitButtonProps extends Omit<ButtonProps, 'type'> {
  busy: boolean;
  /** Shown while busy; 「保存中…」 unless given. */
  busyLabel?: string;
}

/** A form's submit button: disabled while the submission runs, with a busy label. */
export function SubmitButton({ busy, busyLabel, disabled, children, ...rest }: SubmitButtonProps) {
  const { t } = useTranslation();
  return (
    <Button type="submit" disabled={busy || disabled} {...rest}>
      {busy ? (busyLabel ?? t('common.saving')) : children}
    </Button>
  );
}
