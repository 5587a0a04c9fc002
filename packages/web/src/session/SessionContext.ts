import { createContext, useContext } from 'react';
import type { Municipality, SignedInStaff } from '../api/types';

export interface SessionValue {
  staff: SignedInStaff;
  isPlatformAdmin: boolean;
  isMunicipalAdmin: boolean;
  /** Municipalities visible to this staff member (undefined while loading or if not permitted). */
  municipalities: Municipality[] | undefined;
  reloadMunicipalities: () => void;
  /** True when the staff member may administer the given municipality (platform admin, or its own municipal admin). */
  canAdminister: (code: string) => boolean;
}

/**
 * Whether the permissions reach every municipality (the platform administrator's: only they may
 * register municipalities), as the server granted them.
 */
export const isPlatformWide = (permissions: readonly string[]) => permissions.includes('municipality:create');

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession must be used inside the admin layout');
  return v;
}
