// `npm run kazashi -- <command>`: the kazashi CLI, built first if needed.
import { buildIfNeeded } from './build-if-needed.mjs';

buildIfNeeded({ web: false });
await import('../packages/server/dist/cli.js');
