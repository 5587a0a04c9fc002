// The check-in admission rules, alone: the same function decides for one request and for a batch.
import { describe, expect, it } from 'vitest';
import { KazashiError } from '../../kernel/errors.js';
import type { CheckInRequest } from '../contract.js';
import { admit, walkInId } from './checkIn.js';
import { recordedAt } from './common.js';
import type { EvacueeRow, ShelterRow } from './repository.js';

const CODE = '282227'; // 養父市
const shelter = (over: Partial<ShelterRow> = {}) => ({ id: 'sh1', municipalityCode: CODE, nameJa: '第一小学校', status: 'open', capacity: 3, ...over } as ShelterRow);
const person = (id: string, over: Partial<EvacueeRow> = {}) => ({ id, municipalityCode: CODE, householdId: 'h1', needs: ['infant'], sex: 'female', language: 'ja', removedAt: null, ...over } as EvacueeRow);
const byIds = (ids: string[], req: Partial<CheckInRequest> = {}) => ({ code: CODE, ids, resolved: undefined, req: { idempotencyKey: 'key-1', evacueeIds: ids, ...req } as CheckInRequest });
/** The problem code a call is refused with, or 'admitted'. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof KazashiError) return e.code;
    throw e;
  }
  return 'admitted';
}

describe('check-in admission', () => {
  it('admits a household into an open shelter, one stay per person keyed by the request and the person', () => {
    const a = admit(byIds(['e1', 'e2']), shelter(), [person('e1'), person('e2')], 0);
    expect(a).toMatchObject({ home: CODE, over: false });
    expect(a.stays.map((s) => s.idempotencyKey)).toEqual(['key-1:e1', 'key-1:e2']);
    expect(a.stays[0]).toMatchObject({ householdId: 'h1', needs: ['infant'], sex: 'female', evacueeMunicipalityCode: CODE });
  });

  it('counts earlier arrivals: full is refused unless staff accept it, and then it says so', () => {
    expect(refusal(() => admit(byIds(['e1', 'e2']), shelter(), [person('e1'), person('e2')], 2))).toBe('shelter-full');
    // Exactly full is not over capacity.
    expect(admit(byIds(['e1', 'e2']), shelter(), [person('e1'), person('e2')], 1).over).toBe(false);
    expect(admit(byIds(['e1', 'e2'], { acceptFull: true }), shelter(), [person('e1'), person('e2')], 2).over).toBe(true);
    expect(refusal(() => admit(byIds(['e1']), shelter({ status: 'full' }), [person('e1')], 0))).toBe('shelter-full');
    expect(admit(byIds(['e1']), shelter({ capacity: null }), [person('e1')], 500).over).toBe(false);
  });

  it('refuses a closed or only requested shelter, a removed or missing person, a partner named by id, two municipalities at once', () => {
    expect(refusal(() => admit(byIds(['e1']), shelter({ status: 'closed' }), [person('e1')], 0))).toBe('shelter-closed');
    expect(refusal(() => admit(byIds(['e1']), shelter({ status: 'requested' }), [person('e1')], 0))).toBe('shelter-closed');
    expect(refusal(() => admit(byIds(['e1', 'e2']), shelter(), [person('e1')], 0))).toBe('evacuee-not-found');
    expect(refusal(() => admit(byIds(['e1']), shelter(), [person('e1', { removedAt: new Date() })], 0))).toBe('evacuee-not-found');
    expect(refusal(() => admit(byIds(['e1']), shelter(), [person('e1', { municipalityCode: '282251' })], 0))).toBe('partner-by-card-only');
    // By card, a partner's household is fine, but one request never mixes two home municipalities.
    const byCard = (rows: EvacueeRow[]) => ({ code: CODE, ids: rows.map((r) => r.id), resolved: { rows, channel: 'card-touch' as const }, req: { idempotencyKey: 'k' } as CheckInRequest });
    const partner = [person('p1', { municipalityCode: '282251' }), person('p2', { municipalityCode: '282251' })];
    expect(admit(byCard(partner), shelter(), partner, 0).home).toBe('282251');
    expect(refusal(() => admit(byCard([person('e1'), partner[0]!]), shelter(), [person('e1'), partner[0]!], 0))).toBe('movement-not-allowed');
  });

  it('gives a retried walk-in the same person, and another key or municipality another one', () => {
    expect(walkInId(CODE, 'k1')).toBe(walkInId(CODE, 'k1'));
    expect(walkInId(CODE, 'k1')).not.toBe(walkInId(CODE, 'k2'));
    expect(walkInId('282251', 'k1')).not.toBe(walkInId(CODE, 'k1'));
    expect(walkInId(CODE, 'k1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes an offline kiosk\'s recorded time within the last week, never ahead of now', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(recordedAt('2026-12-01T08:30:00Z', now).toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(recordedAt(undefined, now).getTime()).toBe(now);
    for (const bad of ['2026-11-20T00:00:00Z', '2026-12-04T12:10:00Z', 'yesterday']) expect(refusal(() => recordedAt(bad, now))).toBe('recorded-time-invalid');
  });
});
