import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface PrintOnlyProps {
  /** id of the print copy (unique on the page). */
  id: string;
  /** CSS @page margin. */
  margin?: string;
  children: ReactNode;
}

/**
 * What the page prints while this is mounted, and nothing else: rendered straight into <body>, hidden
 * on screen, and every other child of <body> hidden on paper (cards and posters print without the
 * page around them). A4 portrait.
 */
export function PrintOnly({ id, margin = '15mm', children }: PrintOnlyProps) {
  const css = `@media print {
  @page { size: A4 portrait; margin: ${margin}; }
  body > *:not(#${id}) { display: none !important; }
  #${id} { display: block !important; }
}`;
  return createPortal(
    <div id={id} className="hidden">
      <style>{css}</style>
      {children}
    </div>,
    document.body,
  );
}
