// `npm test`: the whole suite — type checks, lint and boundaries, server suites on PGlite and PostgreSQL, browser tests.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { ensureTestPrerequisites } from './lib/prerequisites.mjs';

/** Runs the checks `width` at a time, printing each one's output when it ends; resolves to the names that failed. */
async function checks(list, width) {
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
  return failed;
}

/** vitest, its output straight to ours; resolves to its exit code. */
function vitest(args) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

// What the card and browser suites need from the machine: installed now (as root), or named.
ensureTestPrerequisites(root);
// Emitted without a type check: every package's types are checked next, tests included.
buildIfNeeded({ typecheck: false });
const list = [
  // Longest first.
  { name: 'lint (ESLint with typescript-eslint and react-hooks)', cmd: 'npx', args: ['eslint', '.'] },
  { name: 'types: web', cmd: 'npx', args: ['tsc', '-p', 'packages/web', '--noEmit'] },
  { name: 'types: server', cmd: 'npx', args: ['tsc', '-p', 'packages/server/tsconfig.check.json'] },
  { name: 'types: web e2e', cmd: 'npx', args: ['tsc', '-p', 'packages/web/e2e', '--noEmit'] },
  ...['jpki', 'card-agent', 'shared'].map((p) => ({ name: `types: ${p}`, cmd: 'npx', args: ['tsc', '-p', `packages/${p}/tsconfig.check.json`] })),
  { name: 'module boundaries (dependency-cruiser)', cmd: 'npm', args: ['run', '--silent', 'lint:boundaries'] },
];
// The checks run one at a time beside the test files (which mostly wait on databases, child processes
// and the browser), their results printed as each ends; `npm test` fails if either fails. Arguments
// (a file filter, say) run vitest alone: the checks then first, on every core.
const args = process.argv.slice(2);
if (args.length) {
  const failed = await checks(list, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  if (failed.length) {
    console.error(`› failed: ${failed.join(', ')}`);
    process.exit(1);
  }
  process.exit(await vitest(args));
}
const [failed, code] = await Promise.all([checks(list, 1), vitest(args)]);
if (failed.length) console.error(`› failed: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : code);
