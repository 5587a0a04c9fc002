import { useId, type ReactNode } from 'react';

export interface SectionProps {
  title: ReactNode;
  children: ReactNode;
  level?: 2 | 3;
  className?: string;
  actions?: ReactNode;
}

/** A titled region (<section aria-labelledby>) with a consistent heading style. */
export function Section({ title, children, level = 2, className = '', actions }: SectionProps) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={id} className={`mt-8 ${className}`}>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <Heading id={id} className={level === 2 ? 'text-std-24B-150' : 'text-std-20B-150'}>
          {title}
        </Heading>
        {actions}
      </div>
      {children}
    </section>
  );
}
