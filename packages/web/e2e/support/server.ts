// Starts the real Kazashi server (packages/server/dist/main.js) as a child process on a fresh
// embedded database (copied from one seeded for the run) and a free port, with the demo logins.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { seedDataDir } from './seededData';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const serverMain = path.join(repoRoot, 'packages/server/dist/main.js');
export const webIndex = path.join(repoRoot, 'packages/web/dist/index.html');

export interface DemoServer {
  baseUrl: string;
  password: string;
  /** TOTP secret (base32) per demo login name. */
  secrets: Record<string, string>;
  /** Everything the server printed so far (stdout + stderr), for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the server on a fresh data directory and a free port and waits for /healthz and the demo
 * block. `env` is added to the server's environment; as a function it gets the server's base URL
 * first (for settings that name it, such as KAZASHI_PUBLIC_URL).
 */
export async function startDemoServer(
  env: Record<string, string> | ((baseUrl: string) => Record<string, string>) = {},
): Promise<DemoServer> {
  if (!fs.existsSync(serverMain) || !fs.existsSync(webIndex)) {
    throw new Error(
      `The built server/web app is missing (${fs.existsSync(serverMain) ? webIndex : serverMain}). ` +
        'Run `npm test` from the repository root (it builds packages/web and packages/server before the browser tests), ' +
        'or `npm run build` first.',
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let out = '';
  // A clean server environment: none of the caller's KAZASHI_* or DATABASE_* settings, and never
  // NODE_ENV=production (which refuses the demo seed this relies on).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('KAZASHI_') && !k.startsWith('DATABASE_')),
  );
  const extra = typeof env === 'function' ? env(baseUrl) : env;
  // Seeded once for every suite (see seededData.ts): the demo logins are those of that first start.
  const demo = await seedDataDir(extra.KAZASHI_DATA_DIR ?? dataDir, { serverMain, repoRoot, env: inherited });
  const child = spawn(process.execPath, [serverMain], {
    cwd: repoRoot,
    env: { ...inherited, NODE_ENV: 'test', KAZASHI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    // Every page the suite opened ran under the server's Content-Security-Policy; the browser reported
    // what it blocked to the server, which logged it (a page the policy breaks must fail its suite).
    const blocked = out.split('\n').filter((line) => line.includes('content security policy violation'));
    if (blocked.length) throw new Error(`the browser reported ${blocked.length} Content-Security-Policy violation(s):\n${blocked.slice(0, 10).join('\n')}`);
  };

  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${out}`);
      }
      const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`server did not answer GET /healthz with 200 within 60 s:\n${out}`);
      await sleep(250);
    }
    return { baseUrl, password: demo.password, secrets: demo.secrets, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The 6-digit TOTP code of a base32 secret at a time (30 s steps, as the server uses). */
export function totpCode(secret: string, at = Date.now()): string {
  return OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, timestamp: at });
}

/** A 6-digit code that is certainly not accepted now (outside the ±1-step window, with margin). */
export function wrongTotpCode(secret: string, at = Date.now()): string {
  const nearby = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, at + d * 30_000)));
  for (let i = 123456; ; i = (i + 111111) % 1_000_000) {
    const code = String(i).padStart(6, '0');
    if (!nearby.has(code)) return code;
  }
}
