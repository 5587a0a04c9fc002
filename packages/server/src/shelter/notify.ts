import { sql } from 'drizzle-orm';
import type { Tx } from '../db/engine.js';

/** The channel every change of shelter occupancy or status is announced on (LISTEN/NOTIFY). */
export const SHELTER_CHANNEL = 'kazashi_shelter';

/** What changed: the host municipality, the evacuee's own (joint use), and the shelter (null: outside). */
export interface ShelterChange {
  host: string;
  home: string | null;
  shelterId: string | null;
}

/**
 * Announces a change inside the writing transaction: PostgreSQL delivers it on commit only, to every
 * server instance listening, so dashboards never see a change that was rolled back.
 */
export async function notifyShelterChange(tx: Tx, change: ShelterChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${SHELTER_CHANNEL}, ${encodeShelterChange(change)})`);
}

export function encodeShelterChange(c: ShelterChange): string {
  return `${c.host}|${c.home ?? ''}|${c.shelterId ?? ''}`;
}

export function decodeShelterChange(payload: string): ShelterChange | undefined {
  const [host, home, shelterId] = payload.split('|');
  if (!host || !/^\d{6}$/.test(host)) return undefined;
  return { host, home: home || null, shelterId: shelterId || null };
}
