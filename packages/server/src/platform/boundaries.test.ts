// No domain touches another's tables: not in its TypeScript (raw SQL or a foreign table object used
// outside a schema's foreign key), not in its SQL functions and row-level security policies, which
// ask the owning domain's documented function instead. (Imports between domains go through
// index.ts: dependency-cruiser, `npm run lint`.)
import fs from 'node:fs';
import path from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../kernel/db/engine.js';
import { modules } from '../modules.js';
import { openTestDatabase, serverRoot } from '../test/harness.js';

const SRC = path.join(serverRoot, 'src');

/** Table name → owning module, from each module's declared tables. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const m of modules) {
    for (const t of Object.values(m.tables ?? {})) if (is(t, PgTable)) owners.set(getTableName(t), m.name);
  }
  return owners;
}

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesOf(p) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe("no domain touches another domain's tables", () => {
  const owners = tableOwners();

  it('every table belongs to one module', () => {
    expect(owners.size).toBeGreaterThan(20);
    expect(owners.get('shelter_stay')).toBe('shelter');
    expect(owners.get('audit_pending')).toBe('audit');
  });

  it.each(modules.map((m) => m.name))('%s: no raw SQL names a foreign table, no foreign table object is queried', (name) => {
    const found: string[] = [];
    for (const file of filesOf(path.join(SRC, name))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:from|join|into|update)\s+"?([a-z_]+)"?/gi)) {
        const owner = owners.get(m[1]!);
        if (owner && owner !== name) found.push(`${path.relative(SRC, file)}: ${m[0]}`);
      }
      // A foreign table imported (for a foreign key) anywhere but a schema file.
      if (!file.endsWith('schema.ts')) {
        for (const m of text.matchAll(/import\s+\{([^}]*)\}\s+from\s+'\.\.\/([a-z]+)\/index\.js'/g)) {
          const other = modules.find((x) => x.name === m[2]);
          const tables = Object.keys(other?.tables ?? {});
          for (const imported of m[1]!.split(',').map((s) => s.replace(/^\s*type\s+/, '').trim())) {
            if (tables.includes(imported)) found.push(`${path.relative(SRC, file)}: uses ${m[2]}'s table ${imported}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
  });
});

describe("SQL functions and policies of a domain read its own tables and ask the owners' functions", () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await openTestDatabase('pglite'));
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it("the shelter domain's functions and policies", async () => {
    const owners = tableOwners();
    const foreign = [...owners].filter(([, m]) => m !== 'shelter').map(([t]) => t);
    const functions = ((await db.owner.execute(sql`select proname, prosrc from pg_proc where proname in ('kazashi_shelter_partners', 'kazashi_card_home', 'kazashi_safety_search')`)) as unknown as { rows: { proname: string; prosrc: string }[] }).rows;
    const shelterTables = [...owners].filter(([, m]) => m === 'shelter').map(([t]) => t);
    const policies = ((await db.owner.execute(sql`select tablename, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') as body from pg_policies where tablename = any(${`{${shelterTables.join(',')}}`}::text[])`)) as unknown as { rows: { tablename: string; policyname: string; body: string }[] }).rows;
    expect(functions).toHaveLength(3);
    expect(policies.length).toBeGreaterThan(8);
    const readsForeign = (text: string) => foreign.filter((t) => new RegExp(`\\b(from|join)\\s+${t}\\b`, 'i').test(text));
    expect(functions.map((f) => [f.proname, readsForeign(f.prosrc)]).filter(([, r]) => r.length)).toEqual([]);
    expect(policies.map((p) => [p.policyname, readsForeign(p.body)]).filter(([, r]) => r.length)).toEqual([]);
  });
});
