// The demo's certificate authority: a TestCa (names say "TEST" and "not J-LIS") kept at
// $KAZASHI_DATA_DIR/keys/test-ca.json, trusted only outside production when no J-LIS trust anchors
// are configured. The `kazashi card` CLI issues and revokes virtual cards with the same file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestCa } from '@kazashi/jpki/virtual';
import type { KernelConfig } from '../kernel/config.js';
import { CrlChecker, loadCrl, RevocationUnavailableError, type LoadedCrl, type RevocationChecker } from './revocation.js';

type DemoConfig = Pick<KernelConfig, 'dataDir' | 'production'>;

export function demoTestCaPath(config: Pick<KernelConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'keys', 'test-ca.json');
}

/**
 * The demo test CA, created (with its private keys, mode 0600) on first use. Refused in production.
 * Several processes may race to create it: the file appears atomically and the first one wins.
 *
 * @example
 * const ca = await loadDemoTestCa(loadConfig());
 * const card = await ca.issue('auth');
 */
export async function loadDemoTestCa(config: DemoConfig): Promise<TestCa> {
  if (config.production) throw new Error('the demo test CA is never used in production (NODE_ENV=production)');
  const file = demoTestCaPath(config);
  const existing = readIfExists(file);
  if (existing !== undefined) return TestCa.import(existing);
  const ca = await TestCa.create();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, await ca.export(), { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return ca;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return TestCa.import(fs.readFileSync(file, 'utf8'));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Saves a demo CA after revoking a card, so that the running server's checker sees it. */
export async function saveDemoTestCa(config: DemoConfig, ca: TestCa): Promise<void> {
  if (config.production) throw new Error('the demo test CA is never used in production (NODE_ENV=production)');
  const file = demoTestCaPath(config);
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, await ca.export(), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Revocation from the demo CA's own CRL, regenerated whenever test-ca.json changes or the CRL nears its nextUpdate. */
export function demoRevocationChecker(config: DemoConfig): RevocationChecker {
  let cached: { stamp: string; crl: LoadedCrl } | undefined;
  return new CrlChecker('demo test CA CRL', async () => {
    const file = demoTestCaPath(config);
    let stamp: string;
    try {
      const st = fs.statSync(file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch (e) {
      throw new RevocationUnavailableError(`demo test CA not found at ${file}`, { cause: e });
    }
    const fresh = cached && cached.stamp === stamp && (cached.crl.nextUpdate?.getTime() ?? 0) > Date.now() + 3600_000;
    if (!fresh) {
      const ca = await TestCa.import(fs.readFileSync(file, 'utf8'));
      cached = { stamp, crl: loadCrl(await ca.crl('auth'), 'demo test CA CRL') };
    }
    return [cached!.crl];
  });
}
