import { createHash } from 'node:crypto';
import type { AuditBreakReason } from './contract.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainFields {
  municipalityCode: string;
  seq: number;
  at: Date;
  actor: string;
  action: string;
  residentId: string | null;
  purpose: string;
  categories: string[];
  fields: string[];
  requestId: string;
  prevHash: string;
}

/** The entry's own content as canonical JSON (field order fixed here); its place in the chain is added by the database. */
export function canonicalEntry(e: Omit<ChainFields, 'seq' | 'prevHash'>): string {
  return JSON.stringify([e.municipalityCode, e.at.toISOString(), e.actor, e.action, e.residentId, e.purpose, e.categories, e.fields, e.requestId]);
}

/** sha256(prevHash ‖ "\n" ‖ seq ‖ "\n" ‖ canonical entry): what kazashi_audit_append() computes in SQL (drizzle/0009). */
export function entryHash(e: ChainFields): string {
  return createHash('sha256').update(`${e.prevHash}\n${e.seq}\n${canonicalEntry(e)}`, 'utf8').digest('hex');
}

/** Why verification stopped at an entry (the API's AuditBreakReason). */
export type BreakReason = AuditBreakReason;

export interface ChainVerdict {
  municipalityCode: string;
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; reason: BreakReason };
}

/** Walks one municipality's chain in seq order and names the first broken entry. */
export function verifyChain(
  municipalityCode: string,
  entries: (ChainFields & { hash: string })[],
  head: { seq: number; hash: string } | undefined,
): ChainVerdict {
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const e of entries) {
    const broken = (reason: BreakReason, seq = e.seq): ChainVerdict => ({ municipalityCode, ok: false, checked: expected - 1, brokenAt: { seq, reason } });
    if (e.seq !== expected) return broken('missing-entry', expected);
    if (e.prevHash !== prev) return broken('prev-hash-mismatch');
    if (entryHash(e) !== e.hash) return broken('hash-mismatch');
    prev = e.hash;
    expected++;
  }
  const last = entries.at(-1);
  if (head && (head.seq !== (last?.seq ?? 0) || head.hash !== (last?.hash ?? GENESIS_HASH))) {
    return { municipalityCode, ok: false, checked: entries.length, brokenAt: { seq: head.seq, reason: head.seq > (last?.seq ?? 0) ? 'missing-entry' : 'head-mismatch' } };
  }
  return { municipalityCode, ok: true, checked: entries.length };
}
