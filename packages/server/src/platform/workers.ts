import cluster, { type Worker } from 'node:cluster';

/**
 * KAZASHI_WORKERS > 1 (PostgreSQL only): this process forks that many server processes, which share
 * the listening port (Node's cluster hands connections round-robin). Live dashboards cross
 * processes through LISTEN/NOTIFY, sessions and limits' state live in the database or per process
 * as with several instances. The first worker migrates and seeds the demo on a first start; the
 * others start once it listens, so two never seed at once. A worker that dies is replaced.
 */
export async function runWorkers(count: number): Promise<void> {
  let stopping = false;
  const fork = (first: boolean): Worker => cluster.fork(first ? {} : { KAZASHI_SEED_DEMO: 'false' });
  const replaceOnExit = (w: Worker) => {
    w.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`kazashi worker ${w.process.pid} exited (${signal ?? code}); starting another`);
      // Not at once: a worker failing at start (a bad key file) would otherwise spin.
      setTimeout(() => { if (!stopping) replaceOnExit(fork(false)); }, 1000).unref();
    });
  };
  console.log(`kazashi: starting ${count} workers`);
  const first = fork(true);
  await new Promise<void>((resolve, reject) => {
    first.once('listening', () => resolve());
    first.once('exit', (code) => reject(new Error(`the first worker exited during start (code ${code})`)));
  });
  replaceOnExit(first);
  const rest = Array.from({ length: count - 1 }, () => fork(false));
  for (const w of rest) replaceOnExit(w);
  void Promise.all(rest.map((w) => new Promise<void>((resolve) => w.once('listening', () => resolve()))))
    .then(() => console.log(`kazashi: ${count} workers ready`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
      let left = workers.length;
      if (!left) process.exit(0);
      for (const w of workers) {
        w.once('exit', () => { if (--left === 0) process.exit(0); });
        w.process.kill(signal);
      }
      setTimeout(() => process.exit(0), 15_000).unref();
    });
  }
}
