// How a test runs the server's own programs (`main`, `cli`) in a child process: the build, when it is
// current (what `npm start` runs; `npm test` builds first), else the sources through tsx. A start from
// the build costs about a second of CPU less than compiling the sources again, and the suites start
// some thirty of them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let current: boolean | undefined;

/** Whether dist/ was built after every source file last changed. */
function buildIsCurrent(): boolean {
  if (current !== undefined) return current;
  const built = (name: string) => fs.statSync(path.join(serverRoot, 'dist', name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const oldest = Math.min(built('main.js'), built('cli.js'));
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(serverRoot, 'src'));
  current = oldest > 0 && oldest >= newest;
  return current;
}

/** The node arguments that run `program` with `args`, from the server package's directory. */
export function programArgs(program: 'main' | 'cli', ...args: string[]): string[] {
  return buildIsCurrent() ? [path.join('dist', `${program}.js`), ...args] : ['--import', 'tsx', path.join('src', `${program}.ts`), ...args];
}
