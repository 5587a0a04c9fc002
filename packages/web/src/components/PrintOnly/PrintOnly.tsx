import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface PrintOnlyProps {
  /** id of the print copy (unique on the page). */
  id: string;
  /** The A4 page: `standard` (15 mm margins) or `tight` (10 mm, for sheets of cards to cut). */
  page?: 'standard' | 'tight';
  children: ReactNode;
}

/**
 * What the page prints while this is mounted, and nothing else: rendered straight into <body>, hidden
 * on screen, and every other child of <body> hidden on paper (cards and posters print without the
 * page around them). A4 portrait. The rules are in index.css (`[data-print-only]`): the
 * Content-Security-Policy admits no inline <style>.
 */
export function PrintOnly({ id, page = 'standard', children }: PrintOnlyProps) {
  return createPortal(
    <div id={id} data-print-only={page} className="hidden">
      {children}
    </div>,
    document.body,
  );
}
