// `npm test`: the whole suite — type checks, lint and boundaries, server suites on PGlite and PostgreSQL, browser tests.
import { spawnSync } from 'node:child_process';
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { ensureTestPrerequisites } from './lib/prerequisites.mjs';

const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// What the card and browser suites need from the machine: installed now (as root), or named.
ensureTestPrerequisites(root);
buildIfNeeded();
for (const p of ['shared', 'jpki', 'card-agent', 'server']) step('npx', ['tsc', '-p', `packages/${p}/tsconfig.check.json`]);
step('npx', ['tsc', '-p', 'packages/web', '--noEmit']);
// ESLint (typescript-eslint, react-hooks) on every package, and the module boundaries (dependency-cruiser).
step('npm', ['run', '--silent', 'lint']);
step('npx', ['vitest', 'run', ...process.argv.slice(2)]);
