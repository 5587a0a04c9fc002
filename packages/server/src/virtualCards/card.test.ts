// `kazashi card …` as a user runs it: the CLI in child processes (the build when it is current, see
// test/programs.ts). The insert/remove
// test goes through the real PC/SC stack (pcscd + vsmartcard-vpcd, started if needed; skipped with
// a warning when unavailable, failed when CI=true) in vpcd slot 1 (`Virtual PCD 00 01`, port
// 35964): @kazashi/jpki's integration suite and the card agent's browser suite use slot 0.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { authenticate, identify, ReaderUnavailable, WrongPin, x509 } from '@kazashi/jpki';
import { ensurePcscd, isVpcdReader, lockPcsc, openPcscReaders, TestCa, VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_RESIDENTS } from '../resident/index.js';
import { programArgs } from '../test/programs.js';

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SLOT = 1;
const PORT = 35963 + SLOT;

function cli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, programArgs('cli', ...args), {
    cwd: serverRoot, env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = cli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d; });
    child.stderr!.on('data', (d: Buffer) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let dataDir: string;
let env: Record<string, string>;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-card-'));
  env = { KAZASHI_DATA_DIR: dataDir };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('kazashi card issue / demo / ca', () => {
  it('issues a card file from the demo test CA, created on first use', async () => {
    const out = path.join(dataDir, 'hanako.json');
    const r = await run(['card', 'issue', '--name', '養父 花子', '--address', '兵庫県養父市八鹿町八鹿1675番地の1', '--birth', '1948-04-12', '--sex', 'female', '--pin', '4321', '--sign-pin', 'ABC123', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const card = VirtualMyNumberCard.fromFile(fs.readFileSync(out, 'utf8'));
    expect(card.holder).toEqual({ name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1675番地の1', birthDate: '1948-04-12', sex: 'female' });
    expect(fs.existsSync(path.join(dataDir, 'keys', 'test-ca.json'))).toBe(true);
    // the card chains to the CA that `card ca --pem` prints
    const pem = await run(['card', 'ca', '--pem'], env);
    expect(pem.code, pem.stderr).toBe(0);
    const certs = pem.stdout.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)!;
    expect(certs).toHaveLength(2);
    expect(new crypto.X509Certificate(card.certificate('auth')).verify(new crypto.X509Certificate(certs[0]!).publicKey)).toBe(true);
    expect(new crypto.X509Certificate(card.certificate('sign')).verify(new crypto.X509Certificate(certs[1]!).publicKey)).toBe(true);
    // no overwriting by accident
    const again = await run(['card', 'issue', '--name', 'x', '--address', 'y', '--birth', '2000-01-01', '--sex', 'other', '--pin', '1111', '--out', out], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/--force/);
  });

  it('revokes a card at the demo CA: its certificates appear in the CA\'s CRL', async () => {
    const out = path.join(dataDir, 'moved.json');
    expect((await run(['card', 'issue', '--name', '大屋 みどり', '--address', '兵庫県養父市大屋町大杉1番地', '--birth', '1987-07-21', '--sex', 'female', '--pin', '1234', '--out', out], env)).code).toBe(0);
    const r = await run(['card', 'revoke', out], env);
    expect(r.code, r.stderr).toBe(0);
    const card = VirtualMyNumberCard.fromFile(fs.readFileSync(out, 'utf8'));
    const ca = await TestCa.import(fs.readFileSync(path.join(dataDir, 'keys', 'test-ca.json'), 'utf8'));
    const crl = new x509.X509Crl(await ca.crl('auth'));
    expect(crl.findRevoked(new x509.X509Certificate(Uint8Array.from(card.certificate('auth'))))).not.toBeNull();
    expect(crl.findRevoked(new x509.X509Certificate(Uint8Array.from(VirtualMyNumberCard.fromFile(fs.readFileSync(path.join(dataDir, 'hanako.json'), 'utf8')).certificate('auth'))))).toBeNull();
  });

  it('checks its input', async () => {
    const bads = [['--birth', '1980-02-30'], ['--pin', '12345'], ['--sign-pin', 'abc'], ['--sex', 'unknown']];
    const results = await Promise.all(bads.map((bad) => {
      const args = { '--name': 'x', '--address': 'y', '--birth': '1980-01-01', '--sex': 'male', '--pin': '1234', [bad[0]!]: bad[1]! };
      return run(['card', 'issue', ...Object.entries(args).flat()], env);
    }));
    results.forEach((r, i) => expect(r.code, bads[i]!.join(' ')).not.toBe(0));
  });

  it('issues the demo residents\' cards with PIN 1234, and keeps them on a second run', async () => {
    const r = await run(['card', 'demo'], env);
    expect(r.code, r.stderr).toBe(0);
    const residents = Object.entries(DEMO_RESIDENTS).flatMap(([code, list]) => list.map((res, i) => ({ code, res, file: path.join(dataDir, 'cards', `${code}-${i + 1}.json`) })));
    expect(r.stdout.trim().split('\n')).toHaveLength(residents.length);
    const sexOf = { '1': 'male', '2': 'female', '9': 'other' } as const;
    for (const { res, file } of residents) {
      const card = VirtualMyNumberCard.fromFile(fs.readFileSync(file, 'utf8'));
      expect(card.holder).toEqual({ name: res.nameKanji, address: res.address, birthDate: res.birthDate, sex: sexOf[res.sex as '1' | '2' | '9'] });
      const verify = card.process(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01));
      expect(Buffer.from(verify).toString('hex')).toBe('9000');
      card.process(Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x18));
      expect(Buffer.from(card.process(Uint8Array.of(0x00, 0x20, 0x00, 0x80, 0x04, ...Buffer.from('1234')))).toString('hex')).toBe('9000');
    }
    const before = fs.readFileSync(residents[0]!.file, 'utf8');
    const second = await run(['card', 'demo'], env);
    expect(second.stdout).toMatch(/kept/);
    expect(fs.readFileSync(residents[0]!.file, 'utf8')).toBe(before);
  });

  it('is refused in production', async () => {
    const commands = [['card', 'demo'], ['card', 'ca', '--pem'], ['card', 'insert', path.join(dataDir, 'hanako.json')]];
    const results = await Promise.all(commands.map((args) => run(args, { ...env, NODE_ENV: 'production' })));
    results.forEach((r, i) => {
      expect(r.code, commands[i]!.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(/NODE_ENV=production/);
    });
  });
});

async function pcscAvailable(): Promise<boolean> {
  try {
    await ensurePcscd();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    console.warn(`kazashi card insert suite skipped: ${err instanceof ReaderUnavailable ? err.hint : String(err)} (set CI=true to fail instead)`);
    return false;
  }
}

describe.skipIf(!(await pcscAvailable()))('kazashi card insert / remove through pcscd and vpcd (slot 1)', () => {
  it('insert puts the card in Virtual PCD 00 01, PC/SC identifies it, remove takes it out and keeps its PIN counters', async () => {
    // One suite at a time inserts cards (another's card agent would pick this card up).
    const releasePcsc = await lockPcsc({ holder: 'kazashi card insert suite', timeoutMs: 300_000, log: console.log });
    onTestFinished(releasePcsc);
    // pcscd runs with --auto-exit: the other cases of this file may outlast it. Up again (and serving
    // vpcd's readers) before the reader is opened.
    await ensurePcscd();
    const file = path.join(dataDir, 'taro.json');
    const issued = await run(['card', 'issue', '--name', '八鹿 太郎', '--address', '兵庫県養父市八鹿町国木594番地の10', '--birth', '1952-11-03', '--sex', 'male', '--pin', '1234', '--out', file], env);
    expect(issued.code, issued.stderr).toBe(0);
    const card = VirtualMyNumberCard.fromFile(fs.readFileSync(file, 'utf8'));

    const readers = await openPcscReaders();
    const events: string[] = [];
    readers.on('card-inserted', ({ reader }) => { if (isVpcdReader(reader, SLOT)) events.push(`inserted ${reader}`); });
    readers.on('card-removed', ({ reader }) => { if (isVpcdReader(reader, SLOT)) events.push(`removed ${reader}`); });
    const insert = cli(['card', 'insert', file, '--port', String(PORT)], env);
    let out = '';
    insert.stdout!.on('data', (d: Buffer) => { out += d; });
    insert.stderr!.on('data', (d: Buffer) => { out += d; });
    const exited = new Promise<number>((resolve) => insert.on('close', (code) => resolve(code ?? -1)));
    try {
      const readerName = await readers.waitForCard({ reader: (n) => isVpcdReader(n, SLOT), timeoutMs: 60_000 });
      expect(readerName).toBe('Virtual PCD 00 01');
      for (let i = 0; !out.includes('inserted') && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('inserted taro.json into Virtual PCD 00 01');
      const pidFile = path.join(dataDir, 'cards', `insert-${PORT}.pid`);
      expect(JSON.parse(fs.readFileSync(pidFile, 'utf8'))).toMatchObject({ pid: insert.pid, port: PORT, file });

      const transport = await readers.connect(readerName, { extendedLength: true });
      const t0 = performance.now();
      const { authCertificate, exchanges } = await identify(transport);
      console.log(`[card insert] identify through PC/SC: ${exchanges} exchanges, ${(performance.now() - t0).toFixed(1)} ms`);
      expect(Buffer.from(authCertificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
      await expect(authenticate(transport, crypto.randomBytes(32), '9999')).rejects.toSatisfy((e) => e instanceof WrongPin && e.triesLeft === 2);
      await transport.close();

      // a second insert into the same reader is refused while the first runs
      const second = await run(['card', 'insert', file, '--port', String(PORT)], env);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/already inserted/);

      const removed = await run(['card', 'remove'], env);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain(`removed ${file}`);
      expect(await exited).toBe(0);
      expect(fs.existsSync(pidFile)).toBe(false);
      for (let i = 0; !events.includes(`removed ${readerName}`) && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual([`inserted ${readerName}`, `removed ${readerName}`]);
      // like a real card, the wrong PIN is remembered
      expect(VirtualMyNumberCard.fromFile(fs.readFileSync(file, 'utf8')).pinTriesLeft('auth')).toBe(2);
      expect((await run(['card', 'remove'], env)).stdout).toContain('no virtual card is inserted');
    } finally {
      if (insert.exitCode === null) insert.kill('SIGTERM');
      await exited;
      await readers.close();
    }
  }, 400_000);
});
