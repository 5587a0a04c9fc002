import { describe, expect, it } from 'vitest';
import { CommandApdu, SW, responseBytes } from './apdu.js';
import { CardChannel } from './channel.js';
import { CardRemoved, CardStatusError, MalformedResponse, ReaderUnavailable, SecurityStatusNotSatisfied } from './errors.js';
import { encodeTlv } from './tlv.js';
import type { CardTransport } from './transport.js';
import { MemoryTransport } from './transports/memory.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A card with one transparent EF (current from the start) that returns at most `cap` bytes per READ BINARY. */
function fileCard(data: Uint8Array, opts: { cap?: number; eofStatus?: number } = {}) {
  const sent: string[] = [];
  const responder = {
    process(apdu: Uint8Array): Uint8Array {
      sent.push(hex(apdu));
      const cmd = CommandApdu.decode(apdu);
      if (cmd.ins !== 0xb0) return responseBytes(SW.INS_NOT_SUPPORTED);
      const offset = cmd.p1 & 0x80 ? cmd.p2 : (cmd.p1 << 8) | cmd.p2;
      if (offset >= data.length) return responseBytes(SW.WRONG_P1P2);
      const n = Math.min(cmd.le!, data.length - offset, opts.cap ?? Infinity);
      const end = offset + n >= data.length && n < cmd.le!;
      return responseBytes(end ? (opts.eofStatus ?? SW.OK) : SW.OK, data.subarray(offset, offset + n));
    },
  };
  return { responder, sent };
}

function der(length: number): Uint8Array {
  const value = new Uint8Array(length - 4).map((_, i) => i & 0xff);
  const out = encodeTlv(0x30, value);
  expect(out.length).toBe(length);
  return out;
}

describe('CardChannel.transmit', () => {
  it('follows 61xx with GET RESPONSE and accumulates the data', async () => {
    const sent: string[] = [];
    const parts = [Uint8Array.of(1, 2), Uint8Array.of(3, 4, 5), Uint8Array.of(6)];
    let i = 0;
    const transport = new MemoryTransport({
      process: (apdu) => {
        sent.push(hex(apdu));
        const part = parts[i++]!;
        return i < parts.length ? responseBytes(0x6100 | parts[i]!.length, part) : responseBytes(SW.OK, part);
      },
    });
    const channel = new CardChannel(transport);
    const r = await channel.transmit(new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: Uint8Array.of(9), le: 256 }));
    expect([hex(r.data), r.sw]).toEqual(['010203040506', 0x9000]);
    expect(sent.slice(1)).toEqual(['00C0000003', '00C0000001']);
    expect(channel.exchanges).toBe(3);
  });

  it('re-issues the command with the Le a 6Cxx asks for', async () => {
    const sent: string[] = [];
    const transport = new MemoryTransport({
      process: (apdu) => {
        sent.push(hex(apdu));
        return apdu[4] === 0x10 ? responseBytes(SW.OK, new Uint8Array(16)) : responseBytes(0x6c10);
      },
    });
    const channel = new CardChannel(transport);
    const r = await channel.transmit(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }));
    expect(r.data.length).toBe(16);
    expect(sent).toEqual(['00B0000000', '00B0000010']);
    expect(channel.exchanges).toBe(2);
  });

  it('stops an endless 61xx chain with MalformedResponse', async () => {
    const channel = new CardChannel(new MemoryTransport({ process: () => responseBytes(0x6100, new Uint8Array(256)) }));
    await expect(channel.transmit(new CommandApdu({ cla: 0, ins: 0xca, p1: 0, p2: 0, le: 256 }))).rejects.toBeInstanceOf(MalformedResponse);
    const empty = new CardChannel(new MemoryTransport({ process: () => responseBytes(0x6110) }));
    await expect(empty.transmit(new CommandApdu({ cla: 0, ins: 0xca, p1: 0, p2: 0, le: 256 }))).rejects.toBeInstanceOf(MalformedResponse);
  });

  it('converts transport failures: removal → CardRemoved, others → ReaderUnavailable, its own errors kept', async () => {
    const throwing = (err: unknown): CardTransport => ({ extendedLength: false, transmit: async () => Promise.reject(err) });
    const cmd = new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 });
    await expect(new CardChannel(throwing(new Error('SCardTransmit error: Card was removed.(0x80100069)'))).transmit(cmd)).rejects.toBeInstanceOf(CardRemoved);
    await expect(new CardChannel(throwing(Object.assign(new Error('x'), { code: 0x80100069 | 0 }))).transmit(cmd)).rejects.toBeInstanceOf(CardRemoved);
    await expect(new CardChannel(throwing(Object.assign(new Error('x'), { code: 'SCARD_E_NO_SMARTCARD' }))).transmit(cmd)).rejects.toBeInstanceOf(CardRemoved);
    await expect(new CardChannel(throwing(new Error('No smartcard reader found'))).transmit(cmd)).rejects.toBeInstanceOf(ReaderUnavailable);
    const own = new ReaderUnavailable({ hint: 'pcscd down' });
    await expect(new CardChannel(throwing(own)).transmit(cmd)).rejects.toBe(own);
    const other = await new CardChannel(throwing(new Error('ECONNREFUSED'))).transmit(cmd).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ReaderUnavailable);
    expect((other as ReaderUnavailable).hint).toBe('ECONNREFUSED');
    const removed = new MemoryTransport({ process: () => responseBytes(SW.OK) });
    removed.remove();
    await expect(new CardChannel(removed).transmit(cmd)).rejects.toBeInstanceOf(CardRemoved);
  });

  it('maps refusals in request()', async () => {
    const channel = (sw: number) => new CardChannel(new MemoryTransport({ process: () => responseBytes(sw) }));
    const cmd = new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 });
    await expect(channel(0x6982).request(cmd)).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
    await expect(channel(0x6a82).request(cmd)).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_STATUS', sw: 0x6a82 });
  });
});

describe('CardChannel.readBinary', () => {
  it('reads a certificate in one extended READ BINARY', async () => {
    const cert = der(1500);
    const { responder, sent } = fileCard(cert);
    const channel = new CardChannel(new MemoryTransport(responder, { extendedLength: true }));
    expect(hex(await channel.readBinary())).toBe(hex(cert));
    expect(sent).toEqual(['00B00000000000']);
  });

  it('continues at the offset when the card returns less than the DER length', async () => {
    const cert = der(1500);
    const { responder, sent } = fileCard(cert, { cap: 1024 });
    const channel = new CardChannel(new MemoryTransport(responder, { extendedLength: true }));
    expect(hex(await channel.readBinary())).toBe(hex(cert));
    expect(sent).toEqual(['00B00000000000', '00B00400' + '0001DC']); // offset 1024, extended Le 476
  });

  it('reads 256-byte chunks without extended length, asking only for what is left', async () => {
    const cert = der(700);
    const { responder, sent } = fileCard(new Uint8Array([...cert, ...new Uint8Array(300)]));
    const channel = new CardChannel(new MemoryTransport(responder));
    expect(hex(await channel.readBinary())).toBe(hex(cert));
    expect(sent).toEqual(['00B0000000', '00B0010000', '00B00200BC']);
    expect(channel.exchanges).toBe(3);
  });

  it('reads by short EF identifier first, then by offset', async () => {
    const cert = der(600);
    const { responder, sent } = fileCard(cert);
    const channel = new CardChannel(new MemoryTransport(responder));
    expect(hex(await channel.readBinary(undefined, { shortEfId: 0x0a }))).toBe(hex(cert));
    expect(sent).toEqual(['00B08A0000', '00B0010000', '00B0020058']);
    expect(channel.currentEf).toBe(0x0a);
  });

  it('reads exactly efLength bytes, or up to the end of a file that is not TLV', async () => {
    // 01 80 …: an indefinite length, so the first bytes say nothing about the file's length
    const text = Uint8Array.of(0x01, 0x80, ...Buffer.from('not a tlv, just some bytes!'));
    const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
    const exact = fileCard(text);
    expect(latin1(await new CardChannel(new MemoryTransport(exact.responder)).readBinary(12))).toBe(latin1(text.subarray(0, 12)));
    expect(exact.sent).toEqual(['00B000000C']);
    const long = Uint8Array.of(...text, ...new Uint8Array(600).fill(0x41));
    for (const eofStatus of [SW.OK, SW.END_OF_FILE]) {
      const all = fileCard(long, { eofStatus });
      expect(latin1(await new CardChannel(new MemoryTransport(all.responder)).readBinary())).toBe(latin1(long));
      expect(all.sent).toEqual(['00B0000000', '00B0010000', '00B0020000']);
    }
  });

  it('stops at 6B00 when a file ends exactly on a chunk boundary', async () => {
    const data = new Uint8Array(512).fill(0x20);
    data[1] = 0x80; // indefinite length: the header gives no file length
    const { responder, sent } = fileCard(data);
    const out = await new CardChannel(new MemoryTransport(responder)).readBinary();
    expect(out.length).toBe(512);
    expect(sent.at(-1)).toBe('00B0020000');
  });

  it('throws MalformedResponse when the file is shorter than its header says', async () => {
    const truncated = der(700).subarray(0, 600);
    const { responder } = fileCard(truncated, { eofStatus: SW.END_OF_FILE });
    await expect(new CardChannel(new MemoryTransport(responder)).readBinary()).rejects.toBeInstanceOf(MalformedResponse);
    const other = fileCard(truncated);
    await expect(new CardChannel(new MemoryTransport(other.responder, { extendedLength: true })).readBinary()).rejects.toBeInstanceOf(MalformedResponse);
  });

  it('reports the refusal of the first READ BINARY', async () => {
    const channel = new CardChannel(new MemoryTransport({ process: () => responseBytes(SW.SECURITY_STATUS_NOT_SATISFIED) }));
    await expect(channel.readBinary()).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
    const missing = new CardChannel(new MemoryTransport({ process: () => responseBytes(SW.FILE_NOT_FOUND) }));
    await expect(missing.readBinary(undefined, { shortEfId: 3 })).rejects.toBeInstanceOf(CardStatusError);
  });

  it('selects an EF only when it is not current', async () => {
    const sent: string[] = [];
    const channel = new CardChannel(new MemoryTransport({ process: (a) => (sent.push(hex(a)), responseBytes(SW.OK)) }));
    await channel.selectEf(0x18);
    await channel.selectEf(0x18);
    await channel.selectEf(0x17);
    expect(sent).toEqual(['00A4020C020018', '00A4020C020017']);
    expect(channel.exchanges).toBe(2);
  });
});
