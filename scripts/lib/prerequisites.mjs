// What `npm test` needs from the machine beyond npm: Debian's Chromium for the browser suites, and
// for the card suites pcscd, the vsmartcard-vpcd reader driver, the PC/SC headers (to build the
// `smartcard` binding) and a second vpcd reader for the kiosk suite. Installed here when missing and
// we may (root with apt-get), otherwise `npm test` stops at once with the exact commands to run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const KIOSK_DRIVER = '/usr/local/lib/kazashi/libifdvpcd-kiosk.so';
const KIOSK_READER_CONF = '/etc/reader.conf.d/vpcd-kazashi-kiosk';
// The kiosk e2e suite (packages/web/e2e/resident-kiosk.test.ts) uses its own vpcd reader, from its
// own copy of the driver (vpcd keeps slot state in globals, so two readers must not share one copy).
const KIOSK_READER = `# Kazashi kiosk e2e test (packages/web/e2e/resident-kiosk.test.ts): a second vpcd reader on ports
# 35965/35966, from its own copy of the vpcd driver (the driver keeps per-slot state in globals,
# so two readers must not share one loaded copy). Names do not start with "Virtual PCD".
FRIENDLYNAME "Kazashi Kiosk PCD"
DEVICENAME   /dev/null:0x8C7D
LIBPATH      ${KIOSK_DRIVER}
CHANNELID    0x8C7D
`;

const PACKAGES = [
  { what: "Debian's Chromium (browser tests)", present: () => fs.existsSync('/usr/bin/chromium'), pkg: 'chromium' },
  { what: 'the PC/SC daemon', present: () => fs.existsSync('/usr/sbin/pcscd'), pkg: 'pcscd' },
  { what: 'the vsmartcard-vpcd reader driver', present: () => fs.existsSync(VPCD_DRIVER), pkg: 'vsmartcard-vpcd' },
  { what: 'the PC/SC headers (to build `smartcard`)', present: () => fs.existsSync('/usr/include/PCSC/winscard.h'), pkg: 'libpcsclite-dev' },
];

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function kioskReaderReady() {
  return fs.existsSync(KIOSK_DRIVER) && fs.existsSync(KIOSK_READER_CONF) && fs.readFileSync(KIOSK_READER_CONF, 'utf8') === KIOSK_READER;
}

function installKioskReader() {
  fs.mkdirSync(path.dirname(KIOSK_DRIVER), { recursive: true });
  fs.copyFileSync(fs.realpathSync(VPCD_DRIVER), KIOSK_DRIVER);
  fs.mkdirSync(path.dirname(KIOSK_READER_CONF), { recursive: true });
  fs.writeFileSync(KIOSK_READER_CONF, KIOSK_READER);
  // A pcscd already running read its readers at start: the next suite starts it afresh.
  spawnSync('pkill', ['-x', 'pcscd'], { stdio: 'ignore' });
}

/** Whether the `smartcard` binding loads (it is an optional dependency: built only if the headers were there). */
function smartcardLoads(root) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('smartcard')"], { cwd: path.join(root, 'packages/jpki'), stdio: 'ignore' });
  return r.status === 0;
}

/** PostgreSQL for the database suites: started when it is installed but stopped (as the machine's own service). */
function ensurePostgres(log) {
  const ready = () => spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q'], { stdio: 'ignore' }).status === 0;
  if (!has('pg_isready') || ready()) return;
  if (!has('pg_ctlcluster') || !isRoot()) return; // the suites say what is missing (and fail under CI=true)
  const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
  if (!versions.length) return;
  log(`starting PostgreSQL ${versions[0]}`);
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start'], { stdio: 'inherit' });
  for (let i = 0; i < 30 && !ready(); i++) spawnSync('sleep', ['1']);
}

/**
 * Makes the machine ready for the whole suite, or exits with what to run. `log` prints one line.
 */
export function ensureTestPrerequisites(root, log = (m) => console.log(`› ${m}`)) {
  ensurePostgres(log);
  const missing = PACKAGES.filter((p) => !p.present());
  if (missing.length) {
    const pkgs = missing.map((p) => p.pkg);
    if (isRoot() && has('apt-get')) {
      log(`installing ${missing.map((p) => p.what).join(', ')}: apt-get install ${pkgs.join(' ')}`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      sh('apt-get', ['update', '-qq'], { env });
      sh('apt-get', ['install', '-y', '-qq', ...pkgs], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    } else {
      console.error(`npm test needs ${missing.map((p) => p.what).join(', ')}. Install them, then run npm test again:\n\n  sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}\n`);
      process.exit(1);
    }
  }
  if (!kioskReaderReady()) {
    if (isRoot()) {
      log(`adding the kiosk suite's vpcd reader (${KIOSK_READER_CONF})`);
      installKioskReader();
    } else {
      console.error(`npm test needs the kiosk suite's second vpcd reader. As root:\n\n  sudo mkdir -p ${path.dirname(KIOSK_DRIVER)} && sudo cp "$(readlink -f ${VPCD_DRIVER})" ${KIOSK_DRIVER}\n  sudo tee ${KIOSK_READER_CONF} <<'CONF'\n${KIOSK_READER}CONF\n`);
      process.exit(1);
    }
  }
  if (!smartcardLoads(root)) {
    // The headers arrived after `npm install`. Its failed build made npm drop the optional binding
    // altogether (install it again from the lockfile), or left it unbuilt (rebuild it).
    const absent = !fs.existsSync(path.join(root, 'node_modules/smartcard/package.json'));
    const args = absent ? ['install', '--no-save', '--no-audit', '--no-fund', '--foreground-scripts'] : ['rebuild', 'smartcard', '--foreground-scripts'];
    log(`building the \`smartcard\` PC/SC binding (npm ${args.slice(0, absent ? 1 : 2).join(' ')})`);
    sh('npm', args, { cwd: root });
    if (!smartcardLoads(root)) {
      console.error(`the \`smartcard\` binding still does not load after npm ${args[0]}; see the output above`);
      process.exit(1);
    }
  }
}
