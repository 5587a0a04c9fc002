// An in-memory PGlite (tests, in-memory vaults, `kazashi openapi`) starts from a dump of a cluster
// made once per process instead of running initdb each time: PGlite.create from nothing takes about
// two seconds, loading a dump about half a second. A template may also carry a prepared state (the
// platform's migrations), so that every copy starts migrated.
import { PGlite } from '@electric-sql/pglite';

const dumps = new Map<string, Promise<File | Blob>>();

/**
 * A fresh in-memory PGlite, copied from the template `key` (made on first use by `prepare`, run on
 * a new cluster). Copies share nothing: each is its own database.
 */
export async function memoryPglite(key = 'initdb', prepare?: (db: PGlite) => Promise<void>): Promise<PGlite> {
  let dump = dumps.get(key);
  if (!dump) {
    dump = (async () => {
      const db = await PGlite.create({});
      try {
        await prepare?.(db);
        return await db.dumpDataDir('none');
      } finally {
        await db.close();
      }
    })();
    dumps.set(key, dump);
    // A failed preparation is not cached: the next caller tries again (and sees the error).
    dump.catch(() => dumps.delete(key));
  }
  return PGlite.create({ loadDataDir: await dump });
}
