import crypto from 'node:crypto';
import { TestCa, VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CardAgent } from './agent.js';
import { MemoryReaderSource } from './memorySource.js';

const ORIGIN = 'http://kiosk.localhost:8080';
const READER = 'Test Reader 00';

interface Client {
  ws: WebSocket;
  /** The next message that is not a reply (hello answer or event). */
  next(): Promise<Record<string, unknown>>;
  request(body: Record<string, unknown>): Promise<Record<string, unknown>>;
}

async function connect(url: string, origin = ORIGIN): Promise<Client> {
  const ws = new WebSocket(url, { origin });
  const other: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  const replies = new Map<number, (m: Record<string, unknown>) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as Record<string, unknown>;
    const reply = typeof m.id === 'number' ? replies.get(m.id) : undefined;
    if (reply) return reply(m);
    const w = waiters.shift();
    if (w) w(m);
    else other.push(m);
  });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  let id = 0;
  return {
    ws,
    next: () => new Promise((resolve) => { const m = other.shift(); if (m) resolve(m); else waiters.push(resolve); }),
    request(body) {
      const myId = ++id;
      const p = new Promise<Record<string, unknown>>((resolve) => replies.set(myId, resolve));
      ws.send(JSON.stringify({ id: myId, ...body }));
      return p;
    },
  };
}

describe('card agent', () => {
  let agent: CardAgent;
  let source: MemoryReaderSource;
  let url: string;
  let card: VirtualMyNumberCard;
  let pullAt: number | undefined;

  beforeAll(async () => {
    const ca = await TestCa.create();
    card = await VirtualMyNumberCard.issue(ca, { name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1675番地の1', birthDate: '1948-04-12', sex: 'female', authPin: '1234', signPin: 'ABC123' });
    // Pulls the card during the third exchange of any operation when `pullAt` is armed.
    source = new MemoryReaderSource([READER], {
      extendedLength: true,
      onTransmit: (_c, t) => { if (pullAt !== undefined && --pullAt === 0) { pullAt = undefined; t.remove(); } },
    });
    agent = new CardAgent({ source, allowedOrigins: [ORIGIN], pairingToken: 'pairing-token-for-tests' });
    url = (await agent.listen(0)).url;
  });
  afterAll(async () => agent?.close());

  const paired = async () => {
    const c = await connect(url);
    c.ws.send(JSON.stringify({ type: 'hello', token: 'pairing-token-for-tests' }));
    expect(await c.next()).toMatchObject({ type: 'ready', readers: [{ name: READER }] });
    return c;
  };

  it('refuses a page from another origin', async () => {
    await expect(connect(url, 'https://evil.example')).rejects.toThrow(/403/);
  });

  it('refuses requests before pairing, and a wrong token', async () => {
    const c = await connect(url);
    c.ws.send(JSON.stringify({ type: 'hello', token: 'guess' }));
    expect(await c.next()).toMatchObject({ ok: false, error: { code: 'not-paired' } });
    await new Promise((r) => c.ws.once('close', r));
  });

  it('sends card events, identifies and authenticates; the signature verifies against the certificate', async () => {
    const c = await paired();
    source.insert(READER, card);
    expect(await c.next()).toMatchObject({ type: 'event', event: 'card-inserted', reader: READER });
    const id = await c.request({ op: 'identify' });
    expect(id).toMatchObject({ ok: true });
    const cert = Buffer.from((id.result as { certificate: string }).certificate, 'base64');
    const challenge = crypto.randomBytes(32);
    const auth = await c.request({ op: 'authenticate', challenge: challenge.toString('base64url'), pin: '1234' });
    expect(auth).toMatchObject({ ok: true });
    const { signature, certificate } = auth.result as { signature: string; certificate: string };
    expect(certificate).toBe(cert.toString('base64'));
    const key = new crypto.X509Certificate(cert).publicKey;
    expect(crypto.verify('sha256', challenge, key, Buffer.from(signature, 'base64'))).toBe(true);
    const four = await c.request({ op: 'readBasicFour', pin: '1234' });
    expect(four).toMatchObject({ ok: true, result: { name: '養父 花子', birthDate: '1948-04-12', sex: 'female' } });
    c.ws.close();
  });

  it('reports a wrong PIN with the tries left, and malformed requests clearly', async () => {
    const c = await paired();
    const wrong = await c.request({ op: 'authenticate', challenge: crypto.randomBytes(32).toString('base64url'), pin: '9999' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong-pin', triesLeft: 2 } });
    expect((wrong.error as { messages: { ja: string } }).messages.ja.length).toBeGreaterThan(3);
    const ok = await c.request({ op: 'authenticate', challenge: crypto.randomBytes(32).toString('base64url'), pin: '1234' });
    expect(ok).toMatchObject({ ok: true }); // a right PIN resets the counter
    expect(await c.request({ op: 'authenticate', pin: '1234' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await c.request({ op: 'format-card' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    c.ws.close();
  });

  it('runs one operation per reader at a time', async () => {
    const c = await paired();
    const challenge = crypto.randomBytes(32).toString('base64url');
    const [a, b] = await Promise.all([c.request({ op: 'authenticate', challenge, pin: '1234' }), c.request({ op: 'identify' })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ error: { code: 'reader-busy' } });
    c.ws.close();
  });

  it('a card pulled mid-operation gives a clean card-removed error, and the reader is free again', async () => {
    const c = await paired();
    pullAt = 3;
    expect(await c.request({ op: 'readBasicFour', pin: '1234' })).toMatchObject({ ok: false, error: { code: 'card-removed', messages: { ja: expect.any(String) } } });
    expect(await c.request({ op: 'identify' })).toMatchObject({ ok: true });
    source.remove(READER);
    expect(await c.next()).toMatchObject({ type: 'event', event: 'card-removed', reader: READER });
    expect(await c.request({ op: 'identify' })).toMatchObject({ ok: false, error: { code: 'card-removed' } });
    c.ws.close();
  });
});
