import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyChain, type ChainFields } from './chain.js';

function chain(n: number) {
  const out: (ChainFields & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = { municipalityCode: '282227', seq, at: new Date(Date.UTC(2026, 10, 27, 0, 0, seq)), actor: 'staff:yabu.admin', action: 'vault.read',
      residentId: '5d0b7a8e-0000-4000-8000-000000000001', purpose: 'test', categories: ['basic'], fields: ['address'], requestId: `r${seq}`, prevHash: prev };
    const hash = entryHash(e);
    out.push({ ...e, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('accepts an intact chain and its head', () => {
    const c = chain(5);
    expect(verifyChain('282227', c, { seq: 5, hash: c[4]!.hash })).toEqual({ municipalityCode: '282227', ok: true, checked: 5 });
  });

  it('names an altered entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, purpose: 'something else' };
    expect(verifyChain('282227', c, { seq: 5, hash: c[4]!.hash }).brokenAt).toEqual({ seq: 3, reason: 'hash-mismatch' });
  });

  it('names a deleted entry in the middle', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verifyChain('282227', c, { seq: 5, hash: c.at(-1)!.hash }).brokenAt).toEqual({ seq: 2, reason: 'missing-entry' });
  });

  it('names a deleted newest entry through the chain head', () => {
    const c = chain(5);
    const head = { seq: 5, hash: c[4]!.hash };
    expect(verifyChain('282227', c.slice(0, 4), head).brokenAt).toEqual({ seq: 5, reason: 'missing-entry' });
  });

  it('names an entry whose hash was recomputed after an edit (the next link breaks)', () => {
    const c = chain(4);
    const edited = { ...c[1]!, actor: 'staff:someone-else' };
    c[1] = { ...edited, hash: entryHash(edited) };
    expect(verifyChain('282227', c, { seq: 4, hash: c[3]!.hash }).brokenAt).toEqual({ seq: 3, reason: 'prev-hash-mismatch' });
  });
});
