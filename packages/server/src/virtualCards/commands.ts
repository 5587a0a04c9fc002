// The `kazashi card` command group: virtual My Number Cards for the demo and tests (never in
// production). Registered by cli.ts.
import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { removeInserted, runInsert } from './insert.js';
import { DEMO_CARD_PIN, DEMO_CARD_SIGN_PIN, demoCaCertificates, issueCardFile, issueDemoCards, revokeCardFile, SEXES, type Sex } from './virtualCards.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`not a TCP port: ${value}`);
  return n;
}

export function registerCardCommands(program: Command): void {
  const card = program.command('card').description('virtual My Number Cards for the demo and tests (refused when NODE_ENV=production)');

  card.command('issue')
    .description('issue a virtual card from the demo test CA ($KAZASHI_DATA_DIR/keys/test-ca.json) and write its card file')
    .requiredOption('--name <name>', 'holder name (fictional)')
    .requiredOption('--address <address>', 'address')
    .requiredOption('--birth <YYYY-MM-DD>', 'birth date')
    .addOption(new Option('--sex <sex>', 'sex').choices(SEXES as unknown as string[]).makeOptionMandatory())
    .requiredOption('--pin <pin>', 'user-authentication PIN, 4 digits (also the card-information PIN unless --card-info-pin)')
    .option('--sign-pin <pin>', 'signing password, 6-16 of A-Z 0-9 (random when omitted)')
    .option('--card-info-pin <pin>', 'card-information PIN, 4 digits')
    .option('--out <file>', 'card file (default: $KAZASHI_DATA_DIR/cards/card-<auth serial>.json)')
    .option('--force', 'overwrite --out if it exists')
    .action(async (o: { name: string; address: string; birth: string; sex: Sex; pin: string; signPin?: string; cardInfoPin?: string; out?: string; force?: boolean }) => {
      const issued = await issueCardFile(loadConfig(), {
        name: o.name, address: o.address, birthDate: o.birth, sex: o.sex, authPin: o.pin, signPin: o.signPin, cardInfoPin: o.cardInfoPin,
      }, { out: o.out, force: o.force });
      console.log(issued.file);
      console.error(`issued a virtual card (test double, Kazashi Test CA — not J-LIS): auth certificate serial ${issued.authSerial}`);
      if (!o.signPin) console.error(`signing password: ${issued.signPin}`);
      console.error(`insert it: kazashi card insert ${issued.file}`);
    });

  card.command('insert <file>')
    .description('put a card file\'s card into vsmartcard\'s vpcd reader; runs until Ctrl-C, SIGTERM or `kazashi card remove`')
    .option('--port <port>', 'vpcd port: 35963 = Virtual PCD 00 00, 35964 = Virtual PCD 00 01', '35963')
    .option('--host <host>', 'vpcd host', '127.0.0.1')
    .option('--no-quickack', 'leave the loopback routes alone (by default, as root, they get `quickack 1`: ~0.5 ms instead of ~45 ms per APDU through vpcd)')
    .action(async (file: string, o: { port: string; host: string; quickack: boolean }) => {
      const code = await runInsert(loadConfig(), { file, port: port(o.port), host: o.host, quickack: o.quickack });
      process.exit(code);
    });

  card.command('remove')
    .description('take the card out: signals the running `kazashi card insert` and waits for it to end')
    .option('--port <port>', 'only the card at this vpcd port')
    .action(async (o: { port?: string }) => {
      const removed = await removeInserted(loadConfig(), { port: o.port === undefined ? undefined : port(o.port) });
      if (removed.length === 0) console.log('no virtual card is inserted');
      for (const r of removed) console.log(`removed ${r.file} (port ${r.port}, process ${r.pid})`);
    });

  card.command('revoke <file>')
    .description('revoke a card\'s certificates at the demo test CA (they appear in its CRL), as when a holder moves')
    .action(async (file: string) => {
      const serials = await revokeCardFile(loadConfig(), file);
      console.log(`revoked auth certificate ${serials.auth} and sign certificate ${serials.sign}`);
    });

  card.command('demo')
    .description(`issue card files for the demo residents in $KAZASHI_DATA_DIR/cards/ (PIN ${DEMO_CARD_PIN}, signing password ${DEMO_CARD_SIGN_PIN})`)
    .option('--force', 'reissue cards whose files exist')
    .action(async (o: { force?: boolean }) => {
      const cards = await issueDemoCards(loadConfig(), { force: o.force });
      for (const c of cards) console.log(`${c.file}\t${c.municipalityCode}\t${c.name}\t${c.issued ? 'issued' : 'kept'}\tauth serial ${c.authSerial}`);
      console.error(`PIN ${DEMO_CARD_PIN} (auth and card-information), signing password ${DEMO_CARD_SIGN_PIN}; insert one: kazashi card insert <file>`);
    });

  card.command('ca')
    .description('the demo test CA (created on first use): its certificates')
    .option('--pem', 'print the auth and sign CA certificates as PEM')
    .action(async (o: { pem?: boolean }) => {
      const certs = await demoCaCertificates(loadConfig());
      if (o.pem) {
        process.stdout.write(certs.map((c) => c.pem).join(''));
        return;
      }
      for (const c of certs) {
        console.log(`${c.use}: ${c.cert.subject.replace(/\n/g, ', ')}`);
        console.log(`  valid ${c.cert.validFrom} – ${c.cert.validTo}`);
        console.log(`  SHA-256 ${c.cert.fingerprint256}`);
      }
    });
}
