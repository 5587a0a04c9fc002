// A virtual card's link to vsmartcard's vpcd, the pcscd reader driver of Debian's `vsmartcard-vpcd`.
//
// Protocol (vsmartcard `vpcd.c`, checked against pcsc-lite 1.9.9 + vsmartcard 3.3 on Debian):
// - vpcd LISTENS (on 0.0.0.0, backlog 0) on TCP 35963 for reader slot 0 (`Virtual PCD 00 00`) and 35964
//   for slot 1 (`Virtual PCD 00 01`); the virtual card CONNECTS. One card per slot: a second
//   connection waits in the kernel's queue until the first one goes away.
// - Every frame, both ways, is a 2-byte big-endian length followed by that many bytes.
// - From vpcd, a 1-byte payload is a control: 00 power off, 01 power on, 02 reset (no answer to any of
//   these), 04 "send your ATR" (answered with the ATR). Anything longer is a command APDU, answered with
//   the response APDU.
// - pcscd polls the slot about every 400 ms and vpcd answers that poll by asking for the ATR, so
//   `04` frames keep arriving between APDUs for as long as the card is in; a closed socket is what
//   pcscd takes as "card removed".
// - vpcd writes the length and the payload with two send() calls. With Nagle on vpcd's side and
//   delayed ACKs on ours, every exchange can stall ~40 ms on loopback. Node cannot set TCP_QUICKACK on
//   a socket; see `ensureLoopbackQuickack()` in pcscHarness.ts (route option `quickack 1`).
import net from 'node:net';

/** Slot 0 of vpcd; slot n listens on VPCD_PORT + n. */
export const VPCD_PORT = 35963;

/** The card side: what vpcd talks to. `VirtualMyNumberCard` fits. */
export interface VpcdCard {
  readonly atr: Uint8Array;
  /** Answers one command APDU with a response APDU (data + SW1 SW2). */
  process(apdu: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Power-off, power-on and reset from the reader: clears volatile state (selected AP, verified PINs). */
  reset?(): void;
}

export interface VpcdOptions {
  card: VpcdCard;
  host?: string;
  port?: number;
  /** TCP connect timeout; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Observer of every frame, e.g. to count APDUs or to log a trace. */
  onFrame?: (frame: VpcdFrame) => void;
}

export type VpcdFrame =
  | { kind: 'control'; control: 'power-off' | 'power-on' | 'reset' | 'atr' | 'unknown'; byte: number }
  | { kind: 'apdu'; command: Uint8Array; response: Uint8Array };

export interface VpcdClose {
  /** `disconnected`: we pulled the card; `remote-closed`: vpcd/pcscd closed the link; `error`: socket error. */
  reason: 'disconnected' | 'remote-closed' | 'error';
  error?: Error;
}

export interface VpcdLink {
  readonly host: string;
  readonly port: number;
  /** Resolves at vpcd's first frame: the reader has accepted the card (pcscd sees it as present). */
  readonly ready: Promise<void>;
  /** Resolves (never rejects) when the link is closed, for whatever reason. */
  readonly closed: Promise<VpcdClose>;
  readonly stats: { readonly apdus: number; readonly controls: number };
  readonly connected: boolean;
  /** Pulls the card out of the reader: closes the link; a response being prepared is never sent. */
  disconnect(): Promise<void>;
}

/** The error when nothing listens on the vpcd port: pcscd is not running, or vpcd is not installed. */
export class VpcdUnavailable extends Error {
  readonly hint: string;
  constructor(host: string, port: number, cause: Error) {
    super(`vpcd is not listening on ${host}:${port} (${cause.message})`, { cause });
    this.name = 'VpcdUnavailable';
    this.hint = 'Install the virtual reader and start pcscd: `apt-get install pcscd vsmartcard-vpcd`, then `pcscd` (as root; '
      + '`pcscd -f` keeps it in the foreground). The reader slots are `Virtual PCD 00 00` (port 35963) and `Virtual PCD 00 01` (35964).';
  }
}

const CONTROLS: Partial<Record<number, 'power-off' | 'power-on' | 'reset' | 'atr'>> = { 0x00: 'power-off', 0x01: 'power-on', 0x02: 'reset', 0x04: 'atr' };

/** Splits a TCP byte stream into vpcd frames; robust to frames cut anywhere (even inside the length). */
export class VpcdFrameReader {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Uint8Array[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Uint8Array[] = [];
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + len) break;
      frames.push(new Uint8Array(this.buf.subarray(2, 2 + len)));
      this.buf = this.buf.subarray(2 + len);
    }
    return frames;
  }
  /** Bytes received but not yet a whole frame. */
  get pending(): number {
    return this.buf.length;
  }
}

/** One frame as written on the wire: length and payload in a single buffer (one send, no Nagle stall). */
export function encodeVpcdFrame(payload: Uint8Array): Buffer {
  if (payload.length > 0xffff) throw new RangeError(`vpcd frame too long: ${payload.length} bytes`);
  const out = Buffer.allocUnsafe(2 + payload.length);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** Connects a virtual card to vpcd (inserts it into the virtual reader). Resolves once TCP is connected. */
export function connectToVpcd(opts: VpcdOptions): Promise<VpcdLink> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? VPCD_PORT;
  const { card } = opts;
  return new Promise<VpcdLink>((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    socket.setTimeout(opts.connectTimeoutMs ?? 5000);
    let pulled = false;
    let open = true;
    let didConnect = false;
    let apdus = 0;
    let controls = 0;
    let markReady!: () => void;
    const ready = new Promise<void>((r) => { markReady = r; });
    let markClosed!: (c: VpcdClose) => void;
    const closed = new Promise<VpcdClose>((r) => { markClosed = r; });
    let lastError: Error | undefined;
    const reader = new VpcdFrameReader();
    // Frames are handled strictly in order, even when the card answers asynchronously.
    let queue: Promise<void> = Promise.resolve();

    const send = (payload: Uint8Array) => {
      if (pulled || !open) return;
      socket.write(encodeVpcdFrame(payload));
    };

    const handle = async (frame: Uint8Array): Promise<void> => {
      if (pulled || !open) return;
      markReady();
      if (frame.length === 1) {
        const byte = frame[0]!;
        const control = CONTROLS[byte] ?? 'unknown';
        controls++;
        if (control === 'atr') send(card.atr);
        else if (control !== 'unknown') card.reset?.();
        opts.onFrame?.({ kind: 'control', control, byte });
        return;
      }
      if (frame.length === 0) return;
      let response: Uint8Array;
      try {
        response = await card.process(frame);
      } catch {
        response = Uint8Array.of(0x6f, 0x00); // "no precise diagnosis": a card never goes silent
      }
      if (pulled || !open) return; // pulled while the card was working: the response never leaves
      apdus++;
      send(response);
      opts.onFrame?.({ kind: 'apdu', command: frame, response });
    };

    socket.once('connect', () => {
      didConnect = true;
      socket.setTimeout(0);
      socket.setKeepAlive(false);
      const link: VpcdLink = {
        host, port, ready, closed,
        get stats() { return { apdus, controls }; },
        get connected() { return open && !pulled; },
        disconnect: async () => {
          if (!pulled && open) {
            pulled = true;
            socket.destroy();
          }
          await closed;
        },
      };
      resolve(link);
    });
    socket.on('timeout', () => socket.destroy(new Error(`connect timeout after ${opts.connectTimeoutMs ?? 5000} ms`)));
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) queue = queue.then(() => handle(frame));
    });
    socket.on('error', (err) => { lastError = err; });
    socket.on('close', () => {
      open = false;
      if (!didConnect) reject(new VpcdUnavailable(host, port, lastError ?? new Error('connection closed')));
      markClosed(pulled ? { reason: 'disconnected' } : lastError ? { reason: 'error', error: lastError } : { reason: 'remote-closed' });
    });
  });
}
