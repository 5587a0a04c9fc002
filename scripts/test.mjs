// `npm test`: the whole suite — type checks, lint and boundaries, server suites on PGlite and PostgreSQL, browser tests.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { ensureTestPrerequisites } from './lib/prerequisites.mjs';

/** Runs the checks side by side (as many as there are cores), printing each one's output when it ends. */
async function checks(list) {
  const width = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const queue = [...list];
  const failed = [];
  const one = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const started = Date.now();
      const { code, out } = await new Promise((resolve) => {
        const child = spawn(c.cmd, c.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { out += d; });
        child.on('error', (e) => resolve({ code: 1, out: String(e) }));
        child.on('close', (code) => resolve({ code, out }));
      });
      console.log(`› ${c.name}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (out.trim()) console.log(out.trimEnd());
      if (code !== 0) failed.push(c.name);
    }
  };
  await Promise.all(Array.from({ length: width }, one));
  if (failed.length) {
    console.error(`› failed: ${failed.join(', ')}`);
    process.exit(1);
  }
}

// What the card and browser suites need from the machine: installed now (as root), or named.
ensureTestPrerequisites(root);
// Emitted without a type check: every package's types are checked next, tests included.
buildIfNeeded({ typecheck: false });
await checks([
  // Longest first, so the two cores finish together.
  { name: 'lint (ESLint with typescript-eslint and react-hooks)', cmd: 'npx', args: ['eslint', '.'] },
  { name: 'types: web', cmd: 'npx', args: ['tsc', '-p', 'packages/web', '--noEmit'] },
  { name: 'types: web e2e', cmd: 'npx', args: ['tsc', '-p', 'packages/web/e2e', '--noEmit'] },
  { name: 'types: server', cmd: 'npx', args: ['tsc', '-p', 'packages/server/tsconfig.check.json'] },
  ...['jpki', 'card-agent', 'shared'].map((p) => ({ name: `types: ${p}`, cmd: 'npx', args: ['tsc', '-p', `packages/${p}/tsconfig.check.json`] })),
  { name: 'module boundaries (dependency-cruiser)', cmd: 'npm', args: ['run', '--silent', 'lint:boundaries'] },
]);
const r = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
