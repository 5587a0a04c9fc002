// The real server on a data directory and port that outlive it: the shelter offline suite stops
// and restarts the server under an open kiosk page, which must find the same origin and database.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { seedDataDir } from './seededData';
import { repoRoot, serverMain, webIndex } from './server';

export interface RestartableServer {
  baseUrl: string;
  /** From the seeding start (the demo block is printed only when a data directory is seeded). */
  password: string;
  secrets: Record<string, string>;
  output: () => string;
  running: () => boolean;
  start: () => Promise<void>;
  stop: () => Promise<void>;
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

/** Starts the server on `dataDir` and `port`; `stop()` keeps the data, `start()` brings it back. */
export async function startRestartableServer(dataDir: string, port: number): Promise<RestartableServer> {
  if (!fs.existsSync(serverMain) || !fs.existsSync(webIndex)) throw new Error('build packages/web and packages/server first');
  const baseUrl = `http://127.0.0.1:${port}`;
  let out = '';
  let child: ChildProcess | null = null;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KAZASHI_') && !k.startsWith('DATABASE_')));

  const start = async () => {
    const c = spawn(process.execPath, [serverMain], {
      cwd: repoRoot,
      env: { ...inherited, NODE_ENV: 'test', KAZASHI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    c.stderr!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`server exited before /healthz:\n${out}`);
      if (await fetch(`${baseUrl}/healthz`).then((r) => r.status === 200, () => false)) break;
      if (Date.now() > deadline) throw new Error(`server did not answer /healthz within 60 s:\n${out}`);
      await sleep(100);
    }
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (c && c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      if (!(await waitForExit(c, 10_000))) {
        c.kill('SIGKILL');
        await waitForExit(c, 5_000);
      }
    }
  };

  // Seeded once for every suite (see seededData.ts): the demo logins are those of that first start.
  const demo = await seedDataDir(dataDir, { serverMain, repoRoot, env: inherited });
  await start();
  return {
    baseUrl,
    password: demo.password,
    secrets: demo.secrets,
    output: () => out,
    running: () => child !== null,
    start: async () => {
      await start();
    },
    stop,
  };
}
