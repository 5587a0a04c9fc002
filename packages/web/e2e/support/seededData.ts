// A seeded data directory for the browser suites' servers. A first start on an empty directory
// creates the embedded databases, migrates and seeds the demo (about ten seconds of CPU); every suite
// did that on its own. Now the first suite to need it makes one, keyed by the built server, and each
// suite copies it: its own data directory, as before, with the demo block that first start printed.
// Files a suite put there first (its test CA) are kept: the seed does not depend on them.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The built server's identity: a different build never reuses another's databases. */
function buildKey(serverDist: string): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') || e.name.endsWith('.sql') || e.name.endsWith('.json')) h.update(p).update(fs.readFileSync(p));
    }
  };
  walk(serverDist);
  return h.digest('hex').slice(0, 16);
}

/** The demo block a seeding start prints: `One-time demo password (...): XXXX-…` and `<login> <roles> <secret>` lines. */
export function parseDemo(stdout: string): { password: string; secrets: Record<string, string> } | undefined {
  const pw = /One-time demo password[^:\n]*:\s*(\S+)/.exec(stdout);
  if (!pw) return undefined;
  const secrets: Record<string, string> = {};
  for (const m of stdout.matchAll(/^((?:yabu|asago)\.[a-z]+)\s+[a-z_,]+\s+([A-Z2-7]+=*)\s*$/gm)) secrets[m[1]!] = m[2]!;
  return { password: pw[1]!, secrets };
}

/** The demo logins: the one-time password and each login's TOTP secret. */
export type DemoLogins = NonNullable<ReturnType<typeof parseDemo>>;

/** Older than this, a template is made again (demo data carries the time it was seeded). */
const MAX_AGE_MS = 6 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Template {
  dir: string;
  /** What the seeding start printed (the demo password and TOTP secrets). */
  stdout: string;
}

async function makeTemplate(target: string, serverMain: string, repoRoot: string, env: NodeJS.ProcessEnv): Promise<void> {
  const work = `${target}.${process.pid}.tmp`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'data'), { recursive: true });
  const port = 20000 + crypto.randomInt(20000);
  const child = spawn(process.execPath, [serverMain], {
    cwd: repoRoot,
    env: { ...env, NODE_ENV: 'test', KAZASHI_DATA_DIR: path.join(work, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const deadline = Date.now() + 90_000;
    while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null) throw new Error(`the seeding server exited (${child.exitCode}):\n${out}`);
      if (Date.now() > deadline) throw new Error(`the seeding server did not answer /healthz within 90 s:\n${out}`);
      await sleep(200);
    }
    for (let i = 0; i < 50 && Object.keys(parseDemo(stdout)?.secrets ?? {}).length < 9; i++) await sleep(100);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  if (child.exitCode !== 0 && child.signalCode !== 'SIGTERM') throw new Error(`the seeding server did not stop cleanly (${child.exitCode ?? child.signalCode}):\n${out}`);
  if (!parseDemo(stdout)) throw new Error(`no demo password in the seeding server's output:\n${out}`);
  fs.writeFileSync(path.join(work, 'stdout.txt'), stdout);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(work, target);
}

/** The template for this build, made once (by whichever suite gets there first; the others wait). */
async function template(serverMain: string, repoRoot: string, env: NodeJS.ProcessEnv): Promise<Template> {
  const dir = path.join(os.tmpdir(), `kazashi-e2e-seeded-${buildKey(path.dirname(serverMain))}`);
  const lock = `${dir}.lock`;
  const fresh = () => fs.existsSync(path.join(dir, 'stdout.txt')) && Date.now() - fs.statSync(path.join(dir, 'stdout.txt')).mtimeMs < MAX_AGE_MS;
  while (!fresh()) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another suite is seeding: wait for it (a lock older than two minutes was left by a crash).
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      if (!fresh()) await makeTemplate(dir, serverMain, repoRoot, env);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return { dir: path.join(dir, 'data'), stdout: fs.readFileSync(path.join(dir, 'stdout.txt'), 'utf8') };
}

/** Fills `dataDir` from the seeded template (keeping any file already there); the demo logins of that seeding. */
export async function seedDataDir(dataDir: string, opts: { serverMain: string; repoRoot: string; env: NodeJS.ProcessEnv }): Promise<DemoLogins> {
  const t = await template(opts.serverMain, opts.repoRoot, opts.env);
  fs.cpSync(t.dir, dataDir, { recursive: true, force: false, errorOnExist: false });
  return parseDemo(t.stdout)!; // checked when the template was made
}
