import type { FormEvent, ReactNode } from 'react';
import { Section } from '../Section/Section';
import { SubmitButton } from '../Button/Button';
import { ProblemAlert } from '../ProblemAlert/ProblemAlert';

export interface FormSectionProps {
  title: ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  busy: boolean;
  error: unknown;
  submitLabel: ReactNode;
  children: ReactNode;
}

/** A titled section holding one bordered form: the API problem first, then the fields and the submit button. */
export function FormSection({ title, onSubmit, busy, error, submitLabel, children }: FormSectionProps) {
  return (
    <Section title={title}>
      <form onSubmit={onSubmit} className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
        <ProblemAlert error={error} />
        {children}
        <SubmitButton busy={busy} className="self-start">
          {submitLabel}
        </SubmitButton>
      </form>
    </Section>
  );
}
