import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../session/SessionContext';

/**
 * The municipality an admin page works on. Platform admins choose it (kept in the `?m=` query
 * parameter so it survives reloads and can be linked); everyone else works on their own.
 */
export function useMunicipalityScope(): [string, (code: string) => void] {
  const { staff, isPlatformAdmin } = useSession();
  const [params, setParams] = useSearchParams();
  const selected = isPlatformAdmin ? (params.get('m') ?? staff.municipalityCode) : staff.municipalityCode;
  const select = useCallback(
    (code: string) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('m', code);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [selected, select];
}
