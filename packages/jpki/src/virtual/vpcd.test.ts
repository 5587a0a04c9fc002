// The vpcd link against a stand-in for vpcd (a TCP server speaking its framing), so these tests
// need neither pcscd nor vsmartcard; pcsc-integration.test.ts runs the real thing.
import net from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { connectToVpcd, encodeVpcdFrame, VpcdFrameReader, VpcdUnavailable, type VpcdCard, type VpcdFrame } from './vpcd.js';

const ATR = Uint8Array.of(0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14);

/** A fake vpcd: accepts one card, lets the test write raw bytes and read whole frames. */
async function fakeVpcd() {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const frames: Uint8Array[] = [];
  const waiters: (() => void)[] = [];
  const reader = new VpcdFrameReader();
  let ended = false;
  const endedP = accepted.then((s) => new Promise<void>((r) => s.on('close', () => { ended = true; r(); })));
  void accepted.then((s) => s.on('data', (chunk: Buffer) => {
    frames.push(...reader.push(chunk));
    for (const w of waiters.splice(0)) w();
  }));
  return {
    port,
    accepted,
    frames,
    get ended() { return ended; },
    endedP,
    async nextFrames(n: number, timeoutMs = 2000): Promise<Uint8Array[]> {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${frames.length} of ${n} frames`);
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 50); });
      }
      return frames.splice(0, n);
    },
    close: () => new Promise<void>((r) => { server.close(() => r()); void accepted.then((s) => s.destroy()); }),
  };
}

type Fake = Awaited<ReturnType<typeof fakeVpcd>>;
let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function echoCard(log: string[] = []): VpcdCard {
  return {
    atr: ATR,
    process: (apdu) => Uint8Array.from([...apdu.slice(0, 2), 0x90, 0x00]),
    reset: () => log.push('reset'),
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('VpcdFrameReader', () => {
  it('reassembles frames however the stream is cut', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
      (payloads, cuts) => {
        const stream = Buffer.concat(payloads.map(encodeVpcdFrame));
        const reader = new VpcdFrameReader();
        const out: Uint8Array[] = [];
        let i = 0;
        for (let k = 0; i < stream.length; k++) {
          const n = cuts[k % cuts.length]!;
          out.push(...reader.push(stream.subarray(i, i + n)));
          i += n;
        }
        expect(out.map(hex)).toEqual(payloads.map(hex));
        expect(reader.pending).toBe(0);
      },
    ));
  });

  it('refuses a payload that does not fit the 2-byte length', () => {
    expect(() => encodeVpcdFrame(new Uint8Array(0x10000))).toThrow(RangeError);
  });
});

describe('connectToVpcd', () => {
  it('answers the ATR request, resets on power controls, answers APDUs, all from byte-by-byte input', async () => {
    fake = await fakeVpcd();
    const log: string[] = [];
    const seen: VpcdFrame[] = [];
    const link = await connectToVpcd({ card: echoCard(log), port: fake.port, onFrame: (f) => seen.push(f) });
    const sock = await fake.accepted;
    const input = Buffer.concat([
      encodeVpcdFrame(Uint8Array.of(0x01)), // power on
      encodeVpcdFrame(Uint8Array.of(0x04)), // ATR?
      encodeVpcdFrame(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00)),
      encodeVpcdFrame(Uint8Array.of(0x02)), // reset
      encodeVpcdFrame(Uint8Array.of(0x00)), // power off
    ]);
    for (const byte of input) {
      sock.write(Uint8Array.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    const [atr, response] = await fake.nextFrames(2);
    expect(hex(atr!)).toBe(hex(ATR));
    expect(hex(response!)).toBe('00a49000');
    await link.ready;
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toEqual(['reset', 'reset', 'reset']);
    expect(link.stats).toEqual({ apdus: 1, controls: 4 });
    expect(seen.map((f) => f.kind === 'control' ? f.control : 'apdu')).toEqual(['power-on', 'atr', 'apdu', 'reset', 'power-off']);
    await link.disconnect();
    expect(await link.closed).toEqual({ reason: 'disconnected' });
  });

  it('answers several frames that arrive in one chunk, in order, even from an async card', async () => {
    fake = await fakeVpcd();
    let n = 0;
    const card: VpcdCard = {
      atr: ATR,
      // the first answer is the slowest: order must still hold
      process: async (apdu) => {
        const k = n++;
        await new Promise((r) => setTimeout(r, k === 0 ? 30 : 0));
        return Uint8Array.of(apdu[2]!, 0x90, 0x00);
      },
    };
    const link = await connectToVpcd({ card, port: fake.port });
    const sock = await fake.accepted;
    sock.write(Buffer.concat([1, 2, 3].map((p1) => encodeVpcdFrame(Uint8Array.of(0x00, 0xb0, p1, 0x00, 0x01)))));
    expect((await fake.nextFrames(3)).map(hex)).toEqual(['019000', '029000', '039000']);
    await link.disconnect();
  });

  it('never sends the answer of an APDU during which the card was pulled', async () => {
    fake = await fakeVpcd();
    // eslint-disable-next-line prefer-const -- the card below refers to it before it is assigned
    let link!: Awaited<ReturnType<typeof connectToVpcd>>;
    const card: VpcdCard = {
      atr: ATR,
      process: (apdu) => {
        if (apdu[1] === 0xb0) void link.disconnect(); // pulled mid-read
        return Uint8Array.of(0x90, 0x00);
      },
    };
    link = await connectToVpcd({ card, port: fake.port });
    const sock = await fake.accepted;
    sock.write(encodeVpcdFrame(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x01, 0x01)));
    await fake.nextFrames(1);
    sock.write(encodeVpcdFrame(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00)));
    await fake.endedP;
    expect(fake.frames).toEqual([]);
    expect(await link.closed).toEqual({ reason: 'disconnected' });
    expect(link.connected).toBe(false);
  });

  it('reports vpcd closing the link', async () => {
    fake = await fakeVpcd();
    const link = await connectToVpcd({ card: echoCard(), port: fake.port });
    (await fake.accepted).end();
    expect((await link.closed).reason).toBe('remote-closed');
  });

  it('says what to install and start when nothing listens on the port', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await connectToVpcd({ card: echoCard(), port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VpcdUnavailable);
    expect((err as VpcdUnavailable).hint).toMatch(/apt-get install pcscd vsmartcard-vpcd/);
  });
});
