import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isInvalidValue, isUniqueViolation, pgErrorCode, whileDatabaseUnavailable } from './errors.js';

// What node-postgres and drizzle hand us, as seen during restarts and terminated backends.
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: insert …'), { cause });

describe('database errors', () => {
  it.each([
    ['a terminated backend', wrapped(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))],
    ['a server starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a dropped socket', wrapped(new Error('Connection terminated unexpectedly'))],
    ['a reset', wrapped(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))],
    ['a refused connection to every address', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])],
    ['a client broken earlier', new Error('Client has encountered a connection error and is not queryable')],
    ['a full pool', new Error('timeout exceeded when trying to connect')],
    ['too many connections', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
  ])('%s is the database being unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', wrapped(Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a bad uuid', wrapped(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }))],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s is not', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('finds codes and constraints through the cause chain', () => {
    const e = wrapped(Object.assign(new Error('duplicate key value violates unique constraint "shelter_stay_live_uq"'), { code: '23505', constraint: 'shelter_stay_live_uq' }));
    expect(pgErrorCode(e)).toBe('23505');
    expect(isUniqueViolation(e)).toBe(true);
    expect(isUniqueViolation(e, 'shelter_stay_live_uq')).toBe(true);
    expect(isUniqueViolation(e, 'evacuee_intake_uq')).toBe(false);
    expect(isInvalidValue(wrapped(Object.assign(new Error('bad date'), { code: '22007' })))).toBe(true);
    expect(isInvalidValue(e)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });

  it('waits out an unreachable database and gives up at once on anything else', async () => {
    let calls = 0;
    const waits: number[] = [];
    const value = await whileDatabaseUnavailable(async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return 'ready';
    }, (_e, ms) => waits.push(ms), { firstMs: 1, maxMs: 2 });
    expect(value).toBe('ready');
    expect(waits).toEqual([1, 2]);
    const denied = Object.assign(new Error('password authentication failed'), { code: '28P01' });
    await expect(whileDatabaseUnavailable(async () => { throw denied; }, () => waits.push(-1), { firstMs: 1 })).rejects.toBe(denied);
    expect(waits).toEqual([1, 2]);
  });
});
