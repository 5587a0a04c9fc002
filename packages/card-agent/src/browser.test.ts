// Done-when: the card agent, started against pcscd with a virtual card inserted, answers a browser
// page's identify and authenticate requests. Real pieces end to end: Chromium → WebSocket → the
// agent's CLI process → smartcard → pcscd → vsmartcard-vpcd → VirtualMyNumberCard.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcscReaders } from '@kazashi/jpki';
import { connectToVpcd, ensurePcscd, lockPcsc, openPcscReaders, TestCa, VirtualMyNumberCard, type VpcdLink } from '@kazashi/jpki/virtual';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const agentCli = path.resolve(here, '../dist/cli.js');
// Its own vpcd reader slot, so no other suite's card can slip in when this one is pulled: slot 1 of the
// second vpcd reader that .ci/run installs ("Kazashi Kiosk PCD"; slot 0 is the kiosk e2e suite's).
const READER = 'Kazashi Kiosk PCD 00 01';
const VPCD_PORT = 0x8c7e;
const TOKEN = crypto.randomBytes(12).toString('base64url');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// A minimal kiosk page: the same calls a real kiosk screen makes.
const page = (agentPort: number) => `<!doctype html><html lang="ja"><meta charset="utf-8"><title>kiosk</title>
<p id="status">connecting</p><p id="event"></p>
<label>PIN <input id="pin" type="password" inputmode="numeric"></label>
<button id="identify">identify</button><button id="authenticate">authenticate</button>
<pre id="result"></pre>
<script>
  const ws = new WebSocket('ws://127.0.0.1:${agentPort}');
  let id = 0; const pending = new Map(); let reader;
  ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token: new URLSearchParams(location.search).get('token') }));
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === 'ready') { reader = (m.readers.find((r) => r.name === '${READER}') || m.readers[0]).name; document.getElementById('status').textContent = 'ready'; return; }
    if (m.type === 'event') { document.getElementById('event').textContent = m.event + ' ' + m.reader; return; }
    const p = pending.get(m.id); if (p) { pending.delete(m.id); p(m); }
  };
  const call = (body) => new Promise((resolve) => { const my = ++id; pending.set(my, resolve); ws.send(JSON.stringify({ id: my, reader, ...body })); });
  const show = (r) => { document.getElementById('result').textContent = JSON.stringify(r); };
  document.getElementById('identify').onclick = async () => show(await call({ op: 'identify' }));
  document.getElementById('authenticate').onclick = async () => show(await call({ op: 'authenticate', challenge: window.challenge, pin: document.getElementById('pin').value }));
</script></html>`;

describe('card agent ↔ browser through pcscd and vpcd', () => {
  let browser: Browser;
  let tab: Page;
  let agent: ChildProcess;
  let server: http.Server;
  let link: VpcdLink;
  let readers: PcscReaders;
  let card: VirtualMyNumberCard;
  let pageUrl: string;

  let releasePcsc: (() => void) | undefined;
  afterAll(() => releasePcsc?.()); // registered first: runs last, even if the other afterAll fails
  beforeAll(async () => {
    releasePcsc = await lockPcsc({ holder: 'card agent browser suite', log: console.log });
    const { readers: names } = await ensurePcscd();
    if (!names.includes(READER)) throw new Error(`pcscd does not serve ${READER}: install the second vpcd reader as .ci/run does, then restart pcscd`);
    const ca = await TestCa.create();
    card = await VirtualMyNumberCard.issue(ca, { name: '朝来 一郎', address: '兵庫県朝来市和田山町東谷105番地', birthDate: '1945-02-28', sex: 'male', authPin: '4321', signPin: 'KAZASHI1' });
    readers = await openPcscReaders();
    link = await connectToVpcd({ card, port: VPCD_PORT });
    await link.ready;
    await readers.waitForCard({ reader: READER, timeoutMs: 30_000 });

    const [agentPort, pagePort] = [await freePort(), await freePort()];
    const origin = `http://127.0.0.1:${pagePort}`;
    server = http.createServer((_req, res) => { res.setHeader('content-type', 'text/html; charset=utf-8'); res.end(page(agentPort)); });
    await new Promise<void>((r) => server.listen(pagePort, '127.0.0.1', () => r()));
    pageUrl = `${origin}/?token=${TOKEN}`;

    // vpcd carries extended-length APDUs but does not advertise it, so the kiosk operator turns it on.
    agent = spawn(process.execPath, [agentCli, '--origin', origin, '--port', String(agentPort), `--token=${TOKEN}`, '--extended-length', 'on'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    agent.stdout!.on('data', (d: Buffer) => { out += d; });
    agent.stderr!.on('data', (d: Buffer) => { out += d; });
    for (let i = 0; !out.includes('listening') && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
    expect(out, out).toContain('card agent listening');

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    tab = await browser.newPage();
    await tab.goto(pageUrl);
    for (let i = 0; (await tab.textContent('#status')) !== 'ready'; i++) {
      if (i > 100) throw new Error(`kiosk page never paired with the agent:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await browser?.close();
    agent?.kill();
    server?.close();
    if (link?.connected) await link.disconnect();
    await readers?.close();
  });

  const result = async () => {
    await expect.poll(() => tab.textContent('#result'), { timeout: 20_000 }).not.toBe('');
    const text = (await tab.textContent('#result'))!;
    await tab.evaluate(() => { document.getElementById('result')!.textContent = ''; });
    return JSON.parse(text) as { ok: boolean; result?: Record<string, unknown>; error?: { code: string; triesLeft?: number } };
  };

  it('identify returns the card\'s auth certificate without a PIN', async () => {
    await tab.click('#identify');
    const r = await result();
    expect(r.ok).toBe(true);
    const cert = new crypto.X509Certificate(Buffer.from(r.result!.certificate as string, 'base64'));
    expect(cert.raw.toString('base64')).toBe((JSON.parse(card.toFile()) as { auth: { certificate: string } }).auth.certificate);
    expect(r.result!.exchanges).toBeLessThanOrEqual(4);
  });

  it('authenticate signs the page\'s challenge with the auth key after the PIN', async () => {
    const challenge = crypto.randomBytes(32);
    await tab.evaluate((c) => { (window as unknown as { challenge: string }).challenge = c; }, challenge.toString('base64url'));
    await tab.fill('#pin', '4321');
    await tab.click('#authenticate');
    const r = await result();
    expect(r.ok).toBe(true);
    const cert = new crypto.X509Certificate(Buffer.from(r.result!.certificate as string, 'base64'));
    expect(crypto.verify('sha256', challenge, cert.publicKey, Buffer.from(r.result!.signature as string, 'base64'))).toBe(true);
  });

  it('a wrong PIN is reported with the tries left', async () => {
    await tab.evaluate(() => { (window as unknown as { challenge: string }).challenge = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'; });
    await tab.fill('#pin', '0000');
    await tab.click('#authenticate');
    expect(await result()).toMatchObject({ ok: false, error: { code: 'wrong-pin', triesLeft: 2 } });
  });

  it('pulling the card is announced to the page', async () => {
    await link.disconnect();
    await expect.poll(() => tab.textContent('#event'), { timeout: 15_000 }).toBe(`card-removed ${READER}`);
  });
});
