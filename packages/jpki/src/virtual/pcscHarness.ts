/**
 * Test, demo and benchmark support: a real PC/SC stack (pcscd + vsmartcard's vpcd driver) with a
 * virtual My Number Card in its reader, so that code under test goes through `smartcard`, pcscd
 * and a reader driver exactly as with a physical card.
 *
 * Needs Debian's `pcscd`, `vsmartcard-vpcd` and `libpcsclite-dev` and the npm `smartcard` binding.
 * pcscd is started when it is not running (root only; no systemd needed):
 * `pcscd --foreground --auto-exit`, detached from the test process, logging to
 * `$TMPDIR/kazashi-pcscd.log`. With `--auto-exit` it quits by itself 60 s after its last client,
 * so test runs never have to stop it and parallel suites can share it (a lock directory keeps two
 * of them from starting it twice).
 *
 * Reader names: vpcd's slot n is `Virtual PCD 00 0n` (port 35963 + n) when vpcd is the first
 * reader pcscd loads, as with Debian's `/etc/reader.conf.d/vpcd`. The suites of this repository
 * keep out of each other's way by slot: @kazashi/jpki's integration suite uses slot 0, the server's
 * `kazashi card` suite slot 1.
 *
 * Latency: vpcd sends each frame as two writes (length, then payload), so with Linux's delayed
 * ACKs every APDU waits ~40 ms on loopback (measured: 48 ms per APDU). Node cannot set
 * TCP_QUICKACK on a socket; {@link ensureLoopbackQuickack} sets the `quickack 1` route option on
 * the loopback routes instead (root, `ip` from iproute2), which brings an exchange to ~0.3–0.6 ms.
 *
 * @example
 * ```ts
 * const bench = await openVirtualReader({ card: await VirtualMyNumberCard.issue(ca, holder), slot: 0 });
 * const { exchanges } = await identify(bench.transport);
 * await bench.close();
 * ```
 * @module
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReaderUnavailable } from '../errors.js';
import { loadSmartcard, PcscReaders, type PcscConnectOptions, type PcscTransport } from '../transports/pcsc.js';
import { connectToVpcd, VPCD_PORT, type VpcdCard, type VpcdFrame, type VpcdLink } from './vpcd.js';

/** vpcd's reader names start with this (FRIENDLYNAME in /etc/reader.conf.d/vpcd). */
export const VPCD_READER_PREFIX = 'Virtual PCD';
/** Where pcscd keeps its socket and pid file (pcsc-lite on Debian). */
export const PCSCD_RUN_DIR = '/run/pcscd';

/**
 * Whether `name` is vpcd's reader for `slot` (`Virtual PCD <reader index> <slot>`, two hex digits each).
 *
 * @example
 * ```ts
 * isVpcdReader('Virtual PCD 00 01', 1); // true
 * ```
 */
export function isVpcdReader(name: string, slot?: number): boolean {
  const m = /^Virtual PCD [0-9A-F]{2} ([0-9A-F]{2})$/i.exec(name);
  if (!m) return false;
  return slot === undefined || Number.parseInt(m[1]!, 16) === slot;
}

function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin', '/usr/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/** Which readers pcscd serves right now; undefined when it cannot be reached. */
async function pcscReaderNames(): Promise<string[] | undefined> {
  const sc = await loadSmartcard();
  let ctx;
  try {
    ctx = new sc.Context();
  } catch {
    return undefined;
  }
  try {
    return ctx.listReaders().map((r) => r.name);
  } catch {
    return undefined;
  } finally {
    try {
      ctx.close();
    } catch {
      // ignore
    }
  }
}

/** What {@link ensurePcscd} found or did. */
export interface PcscdState {
  /** True when this call started pcscd. */
  started: boolean;
  pid?: number;
  /** pcscd's log, when this call started it. */
  logFile?: string;
  readers: string[];
}

/** Options of {@link ensurePcscd}. */
export interface EnsurePcscdOptions {
  /** How long to wait for pcscd to come up (default 15 s). */
  timeoutMs?: number;
  /** Start it with `--auto-exit` (default true: it quits 60 s after its last client). */
  autoExit?: boolean;
  /** Require vpcd's readers (default true). */
  requireVpcd?: boolean;
  /** Progress messages. */
  log?: (message: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes sure pcscd runs (and serves vpcd's readers), starting it when needed.
 *
 * @throws {ReaderUnavailable} when `smartcard` is missing, pcscd is not installed, cannot be started
 *   (not root) or runs without the vpcd driver; the hint says what to do.
 * @example
 * ```ts
 * const { started, readers } = await ensurePcscd({ log: console.log });
 * ```
 */
export async function ensurePcscd(options: EnsurePcscdOptions = {}): Promise<PcscdState> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const requireVpcd = options.requireVpcd ?? true;
  const ok = (names: string[] | undefined) => names !== undefined && (!requireVpcd || names.some((n) => isVpcdReader(n)));
  const check = (names: string[]): PcscdState => {
    if (requireVpcd && !names.some((n) => isVpcdReader(n))) {
      throw new ReaderUnavailable({
        hint: `pcscd runs without vpcd's readers (it lists: ${names.join(', ') || 'none'}); install vsmartcard-vpcd (apt-get install vsmartcard-vpcd) and restart pcscd`,
      });
    }
    return { started: false, readers: names };
  };

  // A pcscd that has just started may not list its readers yet: give it a moment.
  const settled = async (): Promise<string[] | undefined> => {
    let names = await pcscReaderNames();
    for (let i = 0; names !== undefined && !ok(names) && i < 20; i++) {
      await sleep(100);
      names = await pcscReaderNames();
    }
    return names;
  };

  let names = await settled();
  const bin = findExecutable('pcscd');
  const root = process.getuid?.() === 0;
  if (names !== undefined) {
    // A pcscd without vpcd's readers although the driver is configured: vpcd could not bind its
    // port when that pcscd started (the last pcscd's connections to a card were still in TIME_WAIT,
    // e.g. after an --auto-exit). As root, start it afresh; otherwise say so.
    if (ok(names) || !root || !bin || !fs.existsSync(VPCD_READER_CONF)) return check(names);
    options.log?.(`pcscd lists no vpcd reader (${names.join(', ') || 'none'}): restarting it`);
    execFileSync('pkill', ['-x', 'pcscd'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && (await pcscReaderNames()) !== undefined; i++) await sleep(100);
  }

  if (!bin) throw new ReaderUnavailable({ hint: 'pcscd is not installed: apt-get install pcscd vsmartcard-vpcd libpcsclite-dev' });
  if (!root) throw new ReaderUnavailable({ hint: 'pcscd is not running and only root can start it: run `pcscd` as root (or `systemctl start pcscd`)' });

  // One starter at a time across processes (parallel test suites).
  const lock = path.join(os.tmpdir(), 'kazashi-pcscd.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      names = await pcscReaderNames();
      if (ok(names)) return check(names!);
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // raced with its owner
      }
      if (Date.now() > deadline) throw new ReaderUnavailable({ hint: `another process holds ${lock} and pcscd did not come up` });
      await sleep(100);
    }
  }
  try {
    names = await settled();
    if (names !== undefined) return check(names);
    return await startPcscd(bin, options, ok, check, timeoutMs);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Debian's vpcd reader configuration (package vsmartcard-vpcd). */
const VPCD_READER_CONF = '/etc/reader.conf.d/vpcd';
// How long a closed vpcd connection can keep its port (TCP TIME_WAIT is 60 s on Linux).
const PORT_BUSY_MS = 75_000;

async function startPcscd(
  bin: string, options: EnsurePcscdOptions, ok: (names: string[] | undefined) => boolean, check: (names: string[]) => PcscdState, timeoutMs: number,
): Promise<PcscdState> {
  const busyUntil = Date.now() + PORT_BUSY_MS;
  for (;;) {
    const state = await startPcscdOnce(bin, options, ok, check, timeoutMs);
    if (state !== 'port-busy') return state;
    if (Date.now() > busyUntil) throw new ReaderUnavailable({ hint: `vpcd's port stayed in use for ${PORT_BUSY_MS / 1000} s (see ${path.join(os.tmpdir(), 'kazashi-pcscd.log')})` });
    options.log?.('vpcd could not bind its port yet (a closed connection holds it): trying again in 2 s');
    await sleep(2000);
  }
}

async function startPcscdOnce(
  bin: string, options: EnsurePcscdOptions, ok: (names: string[] | undefined) => boolean, check: (names: string[]) => PcscdState, timeoutMs: number,
): Promise<PcscdState | 'port-busy'> {
  const deadline = Date.now() + timeoutMs;
  const logFile = path.join(os.tmpdir(), 'kazashi-pcscd.log');
  const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const portBusy = () => fs.readFileSync(logFile, 'latin1').slice(logStart).includes('Address already in use');
  const fd = fs.openSync(logFile, 'a');
  const args = ['--foreground', ...(options.autoExit ?? true ? ['--auto-exit'] : [])];
  options.log?.(`starting ${bin} ${args.join(' ')} (log: ${logFile})`);
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let exited: number | null | undefined;
  child.on('exit', (code) => { exited = code; });
  child.unref();
  let names: string[] | undefined;
  while (Date.now() < deadline) {
    await sleep(100);
    if (exited !== undefined) break;
    names = await pcscReaderNames();
    if (ok(names)) {
      options.log?.(`pcscd ${child.pid} is up; readers: ${names!.join(', ')}`);
      return { started: true, pid: child.pid, logFile, readers: names! };
    }
    if (names !== undefined && portBusy()) {
      // Up, but vpcd could not bind its port: stop this one and let the caller try again.
      child.kill();
      for (let i = 0; i < 50 && (await pcscReaderNames()) !== undefined; i++) await sleep(100);
      return 'port-busy';
    }
  }
  // It exited (another pcscd won a race, e.g. systemd socket activation) or is slow: look again.
  names = await pcscReaderNames();
  if (names !== undefined) return { ...check(names), started: exited === undefined, ...(exited === undefined ? { pid: child.pid, logFile } : {}) };
  if (exited === undefined) child.kill();
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new ReaderUnavailable({ hint: `pcscd did not start (${exited !== undefined ? `exit code ${exited}` : 'timeout'}); its log ${logFile} ends:\n${tail}` });
}

/** Loopback routes and their `quickack` setting. */
export interface QuickackState {
  /** Both loopback routes (127.0.0.1 and 127.0.0.0/8) have `quickack 1`. */
  enabled: boolean;
  /** This call changed the routes. */
  changed: boolean;
  /** What was done or why not. */
  detail: string;
}

const LOOPBACK_ROUTES = ['127.0.0.1', '127.0.0.0/8'];

function loopbackRoutes(ip: string): Map<string, string> {
  const out = execFileSync(ip, ['route', 'show', 'table', 'local'], { encoding: 'utf8' });
  const routes = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^local (\S+) dev lo\b/.exec(line);
    if (m) routes.set(m[1]!, line);
  }
  return routes;
}

/**
 * Reports (and with `set`, as root, enables) `quickack 1` on the loopback routes, so that the
 * virtual card ACKs vpcd at once instead of after Linux's ~40 ms delayed-ACK timer. This changes a
 * system-wide setting of the loopback interface (harmless: ACKs are sent sooner) and is not undone.
 *
 * @example
 * ```ts
 * const { enabled, detail } = ensureLoopbackQuickack({ set: true });
 * ```
 */
export function ensureLoopbackQuickack(options: { set?: boolean } = {}): QuickackState {
  const ip = findExecutable('ip');
  if (process.platform !== 'linux' || !ip) return { enabled: false, changed: false, detail: 'no `ip` (iproute2) on this system' };
  try {
    const before = loopbackRoutes(ip);
    const missing = LOOPBACK_ROUTES.filter((r) => !/\bquickack 1\b/.test(before.get(r) ?? ''));
    if (missing.length === 0) return { enabled: true, changed: false, detail: 'loopback routes already have quickack 1' };
    if (!options.set) return { enabled: false, changed: false, detail: 'loopback routes without quickack (delayed ACKs: ~40 ms per vpcd exchange)' };
    if (process.getuid?.() !== 0) return { enabled: false, changed: false, detail: 'not root: cannot set quickack on the loopback routes' };
    for (const r of missing) {
      execFileSync(ip, ['route', 'replace', 'local', r, 'dev', 'lo', 'proto', 'kernel', 'scope', 'host', 'src', '127.0.0.1', 'table', 'local', 'quickack', '1'], { stdio: 'pipe' });
    }
    return { enabled: true, changed: true, detail: `set quickack 1 on loopback routes ${missing.join(', ')}` };
  } catch (err) {
    return { enabled: false, changed: false, detail: `cannot set quickack: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

/** A virtual card in a vpcd slot. */
export interface PluggedCard {
  link: VpcdLink;
  slot: number;
  /** The PC/SC reader name of that slot. */
  readerName: string;
  /** Pulls the card out (closes the vpcd link); resolves when PC/SC no longer sees it. */
  unplug(): Promise<void>;
}

/** Options of {@link plugVirtualCard}. */
export interface PlugOptions {
  card: VpcdCard;
  /** vpcd slot (port 35963 + slot); default 0. */
  slot?: number;
  host?: string;
  /** When given, waits until these readers report the card (and, on unplug, its removal). */
  readers?: PcscReaders;
  /** Default 10 s. */
  timeoutMs?: number;
  onFrame?: (frame: VpcdFrame) => void;
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(onTimeout()), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

/**
 * Puts a virtual card into a vpcd slot and waits until pcscd sees it.
 *
 * @throws {ReaderUnavailable} when vpcd does not listen (pcscd down) or the slot stays busy with
 *   another virtual card.
 * @example
 * ```ts
 * const plugged = await plugVirtualCard({ card, slot: 0, readers });
 * await plugged.unplug();
 * ```
 */
export async function plugVirtualCard(options: PlugOptions): Promise<PluggedCard> {
  const slot = options.slot ?? 0;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const port = VPCD_PORT + slot;
  let link: VpcdLink;
  try {
    link = await connectToVpcd({ card: options.card, host: options.host, port, onFrame: options.onFrame });
  } catch (err) {
    throw new ReaderUnavailable({ hint: `${err instanceof Error ? err.message : String(err)}; ${(err as { hint?: string }).hint ?? ''}` }, { cause: err });
  }
  try {
    await withTimeout(link.ready, timeoutMs, () => new ReaderUnavailable({ hint: `vpcd slot ${slot} (port ${port}) did not take the card within ${timeoutMs} ms: another virtual card is probably in it` }));
    let readerName: string;
    if (options.readers) {
      readerName = await options.readers.waitForCard({ reader: (n) => isVpcdReader(n, slot), timeoutMs });
    } else {
      const deadline = Date.now() + timeoutMs;
      const sc = await loadSmartcard();
      for (;;) {
        const ctx = new sc.Context();
        try {
          const r = ctx.listReaders().find((x) => isVpcdReader(x.name, slot) && (x.state & sc.SCARD_STATE_PRESENT) !== 0);
          if (r) {
            readerName = r.name;
            break;
          }
        } finally {
          ctx.close();
        }
        if (Date.now() > deadline) throw new ReaderUnavailable({ hint: `PC/SC does not show the card in vpcd slot ${slot}` });
        await sleep(50);
      }
    }
    const readers = options.readers;
    return {
      link, slot, readerName,
      unplug: async () => {
        const removed = readers && readers.readers().some((r) => r.name === readerName && r.cardPresent)
          ? new Promise<void>((resolve) => {
            const on = ({ reader }: { reader: string }) => {
              if (reader === readerName) {
                readers.off('card-removed', on);
                resolve();
              }
            };
            readers.on('card-removed', on);
          })
          : Promise.resolve();
        await link.disconnect();
        await withTimeout(removed, timeoutMs, () => new Error(`PC/SC still shows a card in ${readerName}`));
      },
    };
  } catch (err) {
    await link.disconnect();
    throw err;
  }
}

/**
 * Runs `fn` and measures its wall time.
 *
 * @example
 * ```ts
 * const { result, ms } = await measure(() => identify(transport));
 * ```
 */
export async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - t0 };
}

/** Everything {@link openVirtualReader} set up. */
export interface VirtualReader {
  pcscd: PcscdState;
  quickack: QuickackState;
  readers: PcscReaders;
  plugged: PluggedCard;
  readerName: string;
  /** Connected to the virtual card through pcscd. */
  transport: PcscTransport;
  /** Closes the transport, unplugs the card and closes the readers (pcscd stays up). */
  close(): Promise<void>;
}

/**
 * The whole setup in one call: pcscd (started if needed), optionally loopback quickack, the card
 * plugged into a vpcd slot, and a PC/SC transport to it.
 *
 * @example
 * ```ts
 * const vr = await openVirtualReader({ card, slot: 0, quickack: true, connect: { extendedLength: true } });
 * console.log(vr.readerName, vr.quickack.detail);
 * await vr.close();
 * ```
 */
export async function openVirtualReader(options: {
  card: VpcdCard;
  slot?: number;
  /** Enable loopback quickack when possible (default false: report only). */
  quickack?: boolean;
  connect?: PcscConnectOptions;
  log?: (message: string) => void;
  onFrame?: (frame: VpcdFrame) => void;
}): Promise<VirtualReader> {
  const pcscd = await ensurePcscd({ log: options.log });
  const quickack = ensureLoopbackQuickack({ set: options.quickack ?? false });
  const readers = await openPcscReaders({ log: options.log });
  try {
    const plugged = await plugVirtualCard({ card: options.card, slot: options.slot, readers, onFrame: options.onFrame });
    const transport = await readers.connect(plugged.readerName, { extendedLength: true, ...options.connect });
    return {
      pcscd, quickack, readers, plugged, transport, readerName: plugged.readerName,
      close: async () => {
        await transport.close();
        if (plugged.link.connected) await plugged.unplug();
        await readers.close();
      },
    };
  } catch (err) {
    await readers.close();
    throw err;
  }
}

/**
 * pcscd up (see {@link ensurePcscd}) and a reader context open on it. A pcscd started with
 * `--auto-exit` quits a minute after its last client left: one that was just about to can refuse the
 * context, so this makes sure of pcscd again and retries, a few times.
 */
export async function openPcscReaders(options: EnsurePcscdOptions & { attempts?: number } = {}): Promise<PcscReaders> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    await ensurePcscd(options);
    try {
      return await PcscReaders.open();
    } catch (e) {
      if (!(e instanceof ReaderUnavailable) || attempt >= attempts) throw e;
      options.log?.(`pcscd refused a context (${e.hint}): trying again`);
      await sleep(500 * attempt);
    }
  }
}
