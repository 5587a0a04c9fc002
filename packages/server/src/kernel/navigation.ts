// The web app's menu, as modules declare it (KazashiModule.navigation): the staff session answer
// carries the entries the staff member's permissions open, so the browser never re-derives access
// from role names.
import type { Permission } from './callers.js';
import type { NavigationEntry } from './module.js';

const declared: { module: string; entry: NavigationEntry }[] = [];

export function declareNavigation(module: string, entries: readonly NavigationEntry[]): void {
  for (const entry of entries) {
    const prior = declared.find((d) => d.entry.path === entry.path);
    if (prior && prior.module !== module) throw new Error(`navigation entry ${entry.path} is declared by both ${prior.module} and ${module}`);
    if (!prior) declared.push({ module, entry });
  }
}

/** The entries `permissions` open: the admin area first, then operations, each in module order. */
export function navigationFor(permissions: readonly Permission[]): { path: string; labelKey: string; area: 'admin' | 'operations' }[] {
  const open = declared.filter((d) => permissions.includes(d.entry.permission)).map((d) => d.entry);
  return [...open.filter((e) => e.area === 'admin'), ...open.filter((e) => e.area === 'operations')]
    .map(({ path, labelKey, area }) => ({ path, labelKey, area }));
}
