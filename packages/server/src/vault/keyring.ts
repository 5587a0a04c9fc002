import crypto from 'node:crypto';
import fs from 'node:fs';
import { writeSecretFile } from '../kernel/secrets.js';
import { VaultErrors } from './errors.js';

/** `{ "282227": { "current": "k1", "keys": { "k1": "<base64 32 bytes>" } } }` */
type KeyFile = Record<string, { current: string; keys: Record<string, string> }>;

/**
 * Per-municipality data keys with ids, so a key can rotate: new writes use `current`, older records
 * still name the key they were sealed with.
 */
export class VaultKeyring {
  private constructor(private readonly file: string | undefined, private data: KeyFile, private readonly autoCreate: boolean) {}

  static fromFile(file: string, autoCreate: boolean): VaultKeyring {
    const data = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile) : {};
    return new VaultKeyring(file, data, autoCreate);
  }

  static inMemory(): VaultKeyring {
    return new VaultKeyring(undefined, {}, true);
  }

  current(code: string): { keyId: string; key: Buffer } {
    let entry = this.data[code];
    if (!entry) {
      if (!this.autoCreate) throw VaultErrors['vault-key-missing']({ code });
      entry = { current: 'k1', keys: { k1: crypto.randomBytes(32).toString('base64') } };
      this.data = { ...this.data, [code]: entry };
      if (this.file) writeSecretFile(this.file, JSON.stringify(this.data, null, 2));
    }
    return { keyId: entry.current, key: this.decode(code, entry.current) };
  }

  byId(code: string, keyId: string): Buffer {
    return this.decode(code, keyId);
  }

  private decode(code: string, keyId: string): Buffer {
    const b64 = this.data[code]?.keys[keyId];
    if (!b64) throw VaultErrors['vault-key-missing']({ code });
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw VaultErrors['vault-key-missing']({ code });
    return key;
  }
}
