import { describe, expect, it } from 'vitest';
import { SW, responseBytes } from '../apdu.js';
import { CardRemoved } from '../errors.js';
import { MemoryTransport } from './memory.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('MemoryTransport', () => {
  it('passes commands to the responder and lets a spy see them', async () => {
    const seen: string[] = [];
    const card = { process: (a: Uint8Array) => responseBytes(SW.OK, a.subarray(0, 1)) };
    const t = new MemoryTransport(card, { onTransmit: (c) => seen.push(hex(c)), readerName: 'Test reader' });
    expect(hex(await t.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x01)))).toBe('009000');
    expect(seen).toEqual(['00B0000001']);
    expect([t.readerName, t.extendedLength, t.transmits, t.present]).toEqual(['Test reader', false, 1, true]);
  });

  it('refuses extended APDUs (6700) when the reader has no extended length', async () => {
    let reached = 0;
    const card = { process: () => (reached++, responseBytes(SW.OK)) };
    expect(hex(await new MemoryTransport(card).transmit(Uint8Array.of(0, 0xb0, 0, 0, 0, 0, 0)))).toBe('6700');
    expect(reached).toBe(0);
    expect(hex(await new MemoryTransport(card, { extendedLength: true }).transmit(Uint8Array.of(0, 0xb0, 0, 0, 0, 0, 0)))).toBe('9000');
  });

  it('throws CardRemoved after remove() or close(), and works again after insert()', async () => {
    const card = { process: () => responseBytes(SW.OK) };
    const t = new MemoryTransport(card);
    t.remove();
    await expect(t.transmit(Uint8Array.of(0, 0xa4, 0, 0))).rejects.toBeInstanceOf(CardRemoved);
    t.insert(card);
    expect(hex(await t.transmit(Uint8Array.of(0, 0xa4, 0, 0)))).toBe('9000');
    await t.close();
    await expect(t.transmit(Uint8Array.of(0, 0xa4, 0, 0))).rejects.toBeInstanceOf(CardRemoved);
  });
});
