// `kazashi card insert` / `kazashi card remove`: a virtual card in vsmartcard's vpcd reader.
//
// `insert` connects the card file's card to vpcd (TCP 35963 = reader `Virtual PCD 00 00`, 35964 =
// `Virtual PCD 00 01`) and stays in the foreground until SIGINT/SIGTERM or `card remove`, which
// sends it SIGTERM. It writes `$KAZASHI_DATA_DIR/cards/insert-<port>.pid` (JSON: pid, port, file)
// so `remove` finds it. On the way out the card leaves the reader and, like a real card's
// non-volatile memory, its PIN retry counters are written back to the card file.
//
// If nothing listens on the port and pcscd is not running, `insert` starts pcscd (root only,
// without --auto-exit so the demo reader stays up; see @kazashi/jpki/virtual pcscHarness.ts).
import fs from 'node:fs';
import path from 'node:path';
import { ensureLoopbackQuickack, ensurePcscd, connectToVpcd, VirtualMyNumberCard, VpcdUnavailable, VPCD_PORT, type VpcdLink } from '@kazashi/jpki/virtual';
import type { Config } from '../config.js';
import { cardsDir, VirtualCardRefused } from './virtualCards.js';

type CardConfig = Pick<Config, 'dataDir' | 'production'>;
const PIN_KINDS = ['auth', 'sign', 'cardInfo'] as const;

export interface InsertRecord {
  pid: number;
  port: number;
  file: string;
  since: string;
}

export function insertPidFile(config: Pick<Config, 'dataDir'>, port: number): string {
  return path.join(cardsDir(config), `insert-${port}.pid`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is still a `card insert` process (not a recycled pid), as far as /proc tells. */
function isInsertProcess(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('card') && argv.includes('insert');
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid file
  }
}

/** The running inserts, by their pid files (stale files of dead processes are deleted). */
export function runningInserts(config: Pick<Config, 'dataDir'>): (InsertRecord & { pidFile: string })[] {
  let names: string[];
  try {
    names = fs.readdirSync(cardsDir(config));
  } catch {
    return [];
  }
  const out: (InsertRecord & { pidFile: string })[] = [];
  for (const name of names) {
    if (!/^insert-\d+\.pid$/.test(name)) continue;
    const pidFile = path.join(cardsDir(config), name);
    try {
      const rec = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as InsertRecord;
      if (Number.isInteger(rec.pid) && isInsertProcess(rec.pid)) out.push({ ...rec, pidFile });
      else fs.rmSync(pidFile, { force: true });
    } catch {
      // being written or removed right now
    }
  }
  return out;
}

/** The reader name vpcd's port usually gets (vpcd as the first reader of pcscd). */
export function vpcdReaderName(port: number): string {
  const slot = port - VPCD_PORT;
  return slot >= 0 && slot < 256 ? `Virtual PCD 00 ${slot.toString(16).toUpperCase().padStart(2, '0')}` : `vpcd on port ${port}`;
}

export interface InsertOptions {
  file: string;
  port?: number;
  host?: string;
  /** Set `quickack 1` on the loopback routes when possible (default true; see pcscHarness.ts). */
  quickack?: boolean;
  log?: (line: string) => void;
}

/**
 * Inserts the card and resolves when it has left the reader again: 0 after a signal (or `card
 * remove`), 1 when vpcd closed the link (pcscd stopped).
 */
export async function runInsert(config: CardConfig, options: InsertOptions): Promise<number> {
  if (config.production) throw new VirtualCardRefused('inserting a virtual card');
  const log = options.log ?? ((line: string) => console.log(line));
  const port = options.port ?? VPCD_PORT;
  const file = path.resolve(options.file);
  const original = fs.readFileSync(file, 'utf8');
  const card = VirtualMyNumberCard.fromFile(original);
  const triesAtStart = PIN_KINDS.map((k) => card.pinTriesLeft(k)).join();

  const pidFile = insertPidFile(config, port);
  const other = runningInserts(config).find((r) => r.port === port);
  if (other) throw new Error(`a virtual card (${other.file}) is already inserted at port ${port} by process ${other.pid}; run \`kazashi card remove\` first`);

  const connect = () => connectToVpcd({ card, port, host: options.host });
  let link: VpcdLink;
  try {
    link = await connect();
  } catch (err) {
    if (!(err instanceof VpcdUnavailable)) throw err;
    // pcscd not running? Start it when we can (root), then try once more.
    try {
      await ensurePcscd({ autoExit: false, log });
    } catch (startErr) {
      const hint = (startErr as { hint?: string }).hint;
      throw new Error(`${err.message}. ${err.hint}${hint ? `\n(${hint})` : ''}`, { cause: startErr });
    }
    link = await connect();
  }

  if ((options.quickack ?? true) && (options.host ?? '127.0.0.1').startsWith('127.')) {
    const q = ensureLoopbackQuickack({ set: true });
    if (q.changed || !q.enabled) log(`loopback quickack: ${q.detail}`);
  }

  fs.mkdirSync(cardsDir(config), { recursive: true, mode: 0o700 });
  const record: InsertRecord = { pid: process.pid, port, file, since: new Date().toISOString() };
  fs.writeFileSync(pidFile, `${JSON.stringify(record)}\n`, { mode: 0o600 });

  let signal: string | undefined;
  const stopped = new Promise<void>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => { signal = s; resolve(); });
  });
  try {
    const waiting = setTimeout(() => log(`waiting for vpcd on port ${port} to take the card (is another virtual card in that reader?)`), 2000);
    const ready = await Promise.race([link.ready.then(() => true), stopped.then(() => false), link.closed.then(() => false)]);
    clearTimeout(waiting);
    if (ready) {
      log(`inserted ${path.basename(file)} into ${vpcdReaderName(port)} (vpcd port ${port}); pid ${process.pid}`);
      log('remove it with Ctrl-C or `kazashi card remove`');
    }
    await Promise.race([stopped, link.closed]);
    const remoteClosed = !signal;
    await link.disconnect();
    if (remoteClosed) log(`vpcd closed the link (pcscd stopped?): the card is out of ${vpcdReaderName(port)}`);
    else log(`removed ${path.basename(file)} from ${vpcdReaderName(port)}`);
    return remoteClosed ? 1 : 0;
  } finally {
    // Like a real card: retry counters survive leaving the reader.
    if (PIN_KINDS.map((k) => card.pinTriesLeft(k)).join() !== triesAtStart) {
      fs.writeFileSync(file, card.toFile(), { mode: 0o600 });
      log(`PIN retry counters saved to ${file} (auth ${card.pinTriesLeft('auth')}, sign ${card.pinTriesLeft('sign')}, card-info ${card.pinTriesLeft('cardInfo')})`);
    }
    try {
      const current = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as InsertRecord;
      if (current.pid === process.pid) fs.rmSync(pidFile, { force: true });
    } catch {
      // already gone
    }
  }
}

/** Signals running inserts (all, or the one at `port`) and waits until they have exited. */
export async function removeInserted(config: Pick<Config, 'dataDir'>, options: { port?: number; timeoutMs?: number } = {}): Promise<InsertRecord[]> {
  const targets = runningInserts(config).filter((r) => options.port === undefined || r.port === options.port);
  for (const t of targets) {
    try {
      process.kill(t.pid, 'SIGTERM');
    } catch {
      // exited meanwhile
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (const t of targets) {
    while (alive(t.pid)) {
      if (Date.now() > deadline) throw new Error(`process ${t.pid} (card insert at port ${t.port}) did not exit after SIGTERM`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return targets;
}
