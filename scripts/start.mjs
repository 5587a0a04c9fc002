// `npm start`: build if needed, then migrate, seed the demo on first run and serve (see packages/server/src/server.ts).
import { buildIfNeeded, root } from './build-if-needed.mjs';

buildIfNeeded();
process.chdir(root);
await import('../packages/server/dist/main.js');
