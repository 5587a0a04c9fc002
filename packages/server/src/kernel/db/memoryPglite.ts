// An in-memory PGlite (tests, in-memory vaults, `kazashi openapi`) starts from a dump of a cluster
// instead of running initdb each time: PGlite.create from nothing takes about two seconds, loading a
// dump about half a second. A template may also carry a prepared state (the platform's migrations),
// so that every copy starts migrated. Dumps are kept per process and, under a key that names their
// content, in the temporary directory, so that the next process (each test file runs in its own)
// starts from one too.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const dumps = new Map<string, Promise<File | Blob>>();
const PGLITE_VERSION = pgliteVersion();

/** The installed PGlite's version (its package.json is not among its exports: found beside its entry). */
function pgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const { name, version } = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return version;
    }
  }
  return 'unknown';
}

/**
 * A fresh in-memory PGlite, copied from the template `key` (made on first use by `prepare`, run on
 * a new cluster). `key` must change whenever what `prepare` does changes. Copies share nothing.
 */
export async function memoryPglite(key = 'initdb', prepare?: (db: PGlite) => Promise<void>): Promise<PGlite> {
  let dump = dumps.get(key);
  if (!dump) {
    dump = templateDump(key, prepare);
    dumps.set(key, dump);
    // A failed preparation is not cached: the next caller tries again (and sees the error).
    dump.catch(() => dumps.delete(key));
  }
  return PGlite.create({ loadDataDir: await dump });
}

async function templateDump(key: string, prepare?: (db: PGlite) => Promise<void>): Promise<File | Blob> {
  const name = crypto.createHash('sha256').update(`${PGLITE_VERSION}\0${key}`).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `kazashi-pglite-${name}.tar`);
  try {
    const bytes = fs.readFileSync(file);
    if (bytes.length > 0) return new Blob([bytes]);
  } catch {
    // not made yet (or unreadable): make it
  }
  const db = await PGlite.create({});
  try {
    await prepare?.(db);
    const dump = await db.dumpDataDir('none');
    // Written whole, then renamed: a reader never sees half a dump.
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
    return dump;
  } finally {
    await db.close();
  }
}
