// One suite at a time on the machine's PC/SC stack. The suites of this repository put virtual cards
// into pcscd's readers from several test processes at once (vitest runs files side by side), and a
// card agent started by one suite picks whichever reader holds a card, another suite's too. Suites
// that insert cards or run an agent over pcscd hold this lock: a file created exclusively, naming
// its holder's pid, taken over when that process is gone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK_FILE = path.join(os.tmpdir(), 'kazashi-pcsc.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PcscLockOptions {
  /** Give up after this long (default 10 minutes: the other suites run meanwhile). */
  timeoutMs?: number;
  /** What the holder is, for the waiting message and the lock file. */
  holder?: string;
  /** Told once when the lock is busy. */
  log?: (line: string) => void;
}

/**
 * Waits until this process holds the PC/SC lock; the function it returns releases it (also released
 * when the process exits).
 */
export async function lockPcsc(options: PcscLockOptions = {}): Promise<() => void> {
  const token = `${process.pid} ${crypto.randomUUID()} ${options.holder ?? ''}`.trim();
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(LOCK_FILE, token, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = fs.readFileSync(LOCK_FILE, { encoding: 'utf8', flag: 'r' }).trim();
    const pid = Number(current.split(' ')[0]);
    if (current && !(pid > 0 && alive(pid))) {
      // Its holder died without releasing it.
      fs.rmSync(LOCK_FILE, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the PC/SC lock ${LOCK_FILE} is still held by "${current}"`);
    if (!told) options.log?.(`waiting for the PC/SC lock (held by ${current.split(' ').slice(2).join(' ') || `pid ${pid}`})`);
    told = true;
    await new Promise((r) => setTimeout(r, 200));
  }
  const release = () => {
    try {
      if (fs.readFileSync(LOCK_FILE, 'utf8') === token) fs.rmSync(LOCK_FILE, { force: true });
    } catch {
      // already gone
    }
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
