import { describe, expect, it } from 'vitest';
import { CARD_FILE_FORMAT, CARD_FILE_VERSION, decodeCardFile, encodeCardFile, type VirtualCardData } from './cardFile.js';

const data: VirtualCardData = {
  holder: { name: '試験 太郎', address: '兵庫県養父市', birthDate: '2000-01-02', sex: 'other' },
  auth: { certificate: Uint8Array.of(0x30, 0x00), caCertificate: Uint8Array.of(0x30, 0x01, 0x00), privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n' },
  sign: { certificate: Uint8Array.of(0x30, 0x00), caCertificate: Uint8Array.of(0x30, 0x00), privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n' },
  pins: { auth: { pin: '1234', triesLeft: 3 }, sign: { pin: 'ABC123', triesLeft: 2 }, cardInfo: { pin: '0000', triesLeft: 0 } },
};

describe('card file', () => {
  it('round-trips, versioned', () => {
    const json = encodeCardFile(data);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect([parsed.format, parsed.version]).toEqual([CARD_FILE_FORMAT, CARD_FILE_VERSION]);
    expect(String(parsed.comment)).toMatch(/test double/i);
    expect(decodeCardFile(json)).toEqual(data);
  });

  it('rejects what is not a valid card file', () => {
    const json = JSON.parse(encodeCardFile(data)) as Record<string, Record<string, unknown>>;
    const bad = (edit: (j: Record<string, Record<string, unknown>>) => void) => {
      const copy = structuredClone(json);
      edit(copy);
      return () => decodeCardFile(JSON.stringify(copy));
    };
    expect(() => decodeCardFile('not json')).toThrow(TypeError);
    expect(bad((j) => ((j as Record<string, unknown>).version = 2))).toThrow(/version/);
    expect(bad((j) => ((j as Record<string, unknown>).format = 'x'))).toThrow(/format/);
    expect(bad((j) => (j.pins!.auth = { pin: '12345', triesLeft: 3 }))).toThrow(/pins.auth/);
    expect(bad((j) => (j.pins!.sign = { pin: 'ABC123', triesLeft: 6 }))).toThrow(/pins.sign/);
    expect(bad((j) => (j.holder!.birthDate = '2000/01/02'))).toThrow(/birthDate/);
    expect(bad((j) => (j.auth!.certificate = '!!'))).toThrow(/base64/);
  });
});
