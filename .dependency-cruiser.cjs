// Module boundaries of the server (`npm run lint`, part of `npm test`). A domain is a folder of
// packages/server/src with an index.ts exporting its module (see src/modules.ts); kernel/ holds what
// every domain needs, test/ the shared test support.
const SRC = '^packages/server/src/';
// Not domains: the kernel, the wiring (platform/, demo/), test support, the virtual-card tools.
const NOT_DOMAINS = '(?!kernel/|test/|platform/|demo/|virtualCards/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-through-index',
      comment: 'A domain is reached only through its index.ts (its public face), never a file inside it.',
      severity: 'error',
      from: { path: `${SRC}([^/]+)/` },
      to: { path: `${SRC}${NOT_DOMAINS}([^/]+)/.+`, pathNot: [`${SRC}$1/`, `${SRC}[^/]+/index\\.ts$`] },
    },
    {
      name: 'domain-through-index-from-root',
      comment: 'The wiring at the root of src (modules.ts, config.ts, cli.ts …) reaches domains through their index.ts too.',
      severity: 'error',
      from: { path: `${SRC}[^/]+\\.ts$` },
      to: { path: `${SRC}${NOT_DOMAINS}([^/]+)/.+`, pathNot: [`${SRC}[^/]+/index\\.ts$`] },
    },
    {
      name: 'kernel-names-no-domain',
      comment: 'The kernel is what every domain needs and none owns: it imports no domain, no wiring.',
      severity: 'error',
      from: { path: `${SRC}kernel/`, pathNot: '\\.test\\.ts$' },
      to: { path: SRC, pathNot: `${SRC}kernel/` },
    },
    {
      name: 'repository-stays-in-its-domain',
      comment: "A repository is the only code touching its domain's tables, and touches no other domain's.",
      severity: 'error',
      from: { path: `${SRC}([^/]+)/.*[rR]epository\\.ts$` },
      to: { path: SRC, pathNot: [`${SRC}$1/`, `${SRC}kernel/`] },
    },
    {
      name: 'no-server-in-libraries',
      comment: 'The libraries (jpki, card agent, the shared package) and the web app import nothing of the server.',
      severity: 'error',
      from: { path: '^packages/(jpki|card-agent|shared|web)/' },
      to: { path: '^packages/server/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
