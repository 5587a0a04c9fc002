// Builds the web app and the server only when their sources are newer than their output,
// so `npm start` is fast after the first build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(paths) {
  let t = 0;
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (path.basename(p) === 'node_modules' || path.basename(p) === 'dist') return;
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else if (!/\.test\.tsx?$/.test(p)) t = Math.max(t, st.mtimeMs);
  };
  paths.forEach(walk);
  return t;
}

function stale(output, sources) {
  return !fs.existsSync(output) || fs.statSync(output).mtimeMs < newest(sources);
}

function run(args, what) {
  console.log(`› building ${what}…`);
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * `typecheck: false` emits without type checking (`tsc --noCheck`), for callers that check the types
 * themselves right after (`npm test`).
 */
export function buildIfNeeded({ web = true, server = true, typecheck = true } = {}) {
  const pkg = (name) => (p) => path.join(root, 'packages', name, p);
  const compile = (name, what) => {
    if (typecheck) run(['run', 'build', '-w', `@kazashi/${name}`], what);
    else {
      console.log(`› building ${what} (types are checked next)…`);
      const r = spawnSync('npx', ['tsc', '-p', `packages/${name}`, '--noCheck'], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
      if (name === 'server') run(['run', 'openapi', '-w', '@kazashi/server'], 'the OpenAPI document');
    }
  };
  // Libraries first: the server and the card agent import their built output.
  for (const name of ['shared', 'jpki', 'card-agent']) {
    const p = pkg(name);
    if (fs.existsSync(p('src')) && stale(p('dist/index.js'), [p('src'), p('tsconfig.json')])) compile(name, name);
  }
  const w = pkg('web');
  const s = pkg('server');
  // The server first: its build writes openapi.json, from which the web app's API types are generated.
  if (server && stale(s('dist/openapi.json'), [s('src'), s('tsconfig.json')])) {
    compile('server', 'server');
  }
  if (web && (stale(w('dist/index.html'), [w('src'), w('index.html'), w('vite.config.ts'), w('public'), s('dist/openapi.json')]) || !fs.existsSync(w('src/api/generated/openapi.ts')))) {
    run(['run', 'build', '-w', '@kazashi/web'], 'web app');
  }
}
