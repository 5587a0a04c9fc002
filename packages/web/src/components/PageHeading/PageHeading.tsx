import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

let firstPage = true;

export interface PageHeadingProps {
  children: ReactNode;
  /** Plain-text title for document.title (defaults to children when it is a string). */
  title?: string;
}

/**
 * The page's <h1>. Sets the document title and, after client-side navigation,
 * moves keyboard/screen-reader focus to the new heading.
 */
export function PageHeading({ children, title }: PageHeadingProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  const text = title ?? (typeof children === 'string' ? children : '');

  useEffect(() => {
    document.title = text ? `${text} | ${t('app.name')}` : t('app.name');
  }, [text, t]);

  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus();
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1} className="text-std-28B-150 text-solid-gray-900 sm:text-std-32B-150">
      {children}
    </h1>
  );
}
