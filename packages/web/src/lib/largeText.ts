import { useEffect, useSyncExternalStore } from 'react';

/** localStorage key of the resident screens' large-text choice ('1' = on). */
export const LARGE_TEXT_KEY = 'kazashi.largeText';

const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(LARGE_TEXT_KEY) === '1';
  } catch {
    return false;
  }
}

let current = read();

/** Turns large text on or off and remembers the choice on this device. */
export function setLargeText(on: boolean): void {
  current = on;
  try {
    localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
  } catch {
    // private mode: for this page only
  }
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useLargeText(): boolean {
  return useSyncExternalStore(subscribe, () => current);
}

/**
 * Applies the large-text choice while the calling component is shown: the root font size goes
 * to 125 %, and since the Digital Agency theme sizes text and spacing in rem, the whole page grows.
 */
export function useApplyLargeText(): void {
  const on = useLargeText();
  useEffect(() => {
    const root = document.documentElement;
    root.style.fontSize = on ? '125%' : '';
    root.dataset.largeText = on ? 'on' : 'off';
    return () => {
      root.style.fontSize = '';
      delete root.dataset.largeText;
    };
  }, [on]);
}
