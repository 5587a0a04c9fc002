import type { PublicShelterView, ShelterStatus } from '../../api/shelterTypes';

/** How crowded a shelter is: the words of the public page, shared by the HQ table and the map. */
export type Congestion = PublicShelterView['congestion'];

export const CONGESTIONS: readonly Congestion[] = ['empty', 'some', 'crowded', 'full', 'unknown'];

/**
 * The same thresholds as the server's public view (empty < 50 % ≤ some < 80 % ≤ crowded < 100 % ≤ full),
 * so that HQ and residents see the same word. A shelter marked full by staff is full whatever the count.
 */
export function congestionOf(present: number, capacity: number | null, status: ShelterStatus): Congestion {
  if (status === 'full') return 'full';
  if (capacity === null || capacity <= 0) return 'unknown';
  const rate = present / capacity;
  if (rate >= 1) return 'full';
  if (rate >= 0.8) return 'crowded';
  if (rate >= 0.5) return 'some';
  return 'empty';
}

/** Occupancy in whole percent, or null without a capacity. */
export function occupancyPercent(present: number, capacity: number | null): number | null {
  if (capacity === null || capacity <= 0) return null;
  return Math.round((present / capacity) * 100);
}

/**
 * Badge classes: a light fill, a dark border and dark text (≥ 4.5:1) so the word stays readable;
 * the colour is never the only signal (the word and the mark go with it).
 */
export const CONGESTION_BADGE: Record<Congestion, string> = {
  empty: 'border-green-800 bg-green-50 text-green-1000',
  some: 'border-yellow-800 bg-yellow-50 text-yellow-1100',
  crowded: 'border-orange-800 bg-orange-50 text-orange-1100',
  full: 'border-red-900 bg-red-50 text-red-1000',
  unknown: 'border-solid-gray-600 bg-solid-gray-50 text-solid-gray-800',
};

/** Fill of bars and map circles. */
export const CONGESTION_FILL: Record<Congestion, string> = {
  empty: 'fill-green-600',
  some: 'fill-yellow-500',
  crowded: 'fill-orange-600',
  full: 'fill-red-800',
  unknown: 'fill-solid-gray-420',
};

export const CONGESTION_BAR: Record<Congestion, string> = {
  empty: 'bg-green-600',
  some: 'bg-yellow-500',
  crowded: 'bg-orange-600',
  full: 'bg-red-800',
  unknown: 'bg-solid-gray-420',
};

/** A text mark that goes with the word (as on Japanese congestion boards: ○ △ × ). */
export const CONGESTION_MARK: Record<Congestion, string> = {
  empty: '○',
  some: '△',
  crowded: '▲',
  full: '×',
  unknown: '－',
};
