#!/usr/bin/env node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from './config.js';
import { formatDemoBanner, seedDemo } from './demo/seed.js';
import { buildApp } from './platform/app.js';
import { createPlatform } from './platform/container.js';
import { startServer } from './server.js';
import { loadOrCreateSecret } from './kernel/secrets.js';
import { buildVaultServer, generateSigningKey, migrateVault, publicPemOf, SqlVaultStore, VAULT_LOCATIONS, type VaultLocation } from './vault/index.js';
import { KazashiError } from './kernel/errors.js';
import { registerCardCommands } from './virtualCards/commands.js';

const program = new Command('kazashi').description('Kazashi platform: server, migrations, audit and vault tools');

async function withPlatform<T>(fn: (p: Awaited<ReturnType<typeof createPlatform>>) => Promise<T>): Promise<T> {
  const platform = await createPlatform(loadConfig());
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}

program.command('start').description('migrate, seed the demo on first run, and serve').action(async () => {
  await startServer();
});

program.command('migrate').description('apply database migrations').action(async () => {
  await withPlatform(async (p) => console.log(`migrations applied (${p.db.engine})`));
});

program.command('seed').description('seed the demo municipalities (refused when NODE_ENV=production)').option('--demo', 'seed the demo', true).action(async () => {
  await withPlatform(async (p) => {
    console.log(formatDemoBanner(await seedDemo(p, { baseUrl: `http://localhost:${p.config.port}` })));
  });
});

program.command('openapi [file]')
  .description('write the OpenAPI document (the web client\'s types are generated from it at build) to file, or print it')
  .action(async (file?: string) => {
    // A throwaway embedded database: the document depends on the modules, not on any data.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-openapi-'));
    try {
      const platform = await createPlatform(loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: '', KAZASHI_WORKERS: '1', KAZASHI_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { inMemoryVaults: true });
      const app = await buildApp(platform, { logger: false, serveWeb: false });
      try {
        await app.ready();
        const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
        if (file) fs.writeFileSync(file, text);
        else process.stdout.write(text);
      } finally {
        await app.close();
        await platform.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

const audit = program.command('audit').description('audit trail');
audit.command('verify').description('walk every hash chain; exit 1 naming the first broken entry').action(async () => {
  const verdicts = await withPlatform((p) => p.audit.verifyAll());
  let broken = 0;
  for (const v of verdicts) {
    const waiting = v.pending ? `; ${v.pending} not yet sealed, waiting since ${v.oldestPendingAt}` : '';
    if (v.ok) console.log(`${v.municipalityCode}: ok (${v.checked} entries${waiting})`);
    else {
      broken++;
      console.log(`${v.municipalityCode}: BROKEN at entry seq=${v.brokenAt!.seq} (${v.brokenAt!.reason}); ${v.checked} entries before it verified`);
    }
  }
  process.exitCode = broken ? 1 : 0;
});

const staff = program.command('staff').description('staff accounts');
staff.command('totp <login>').description('print the current TOTP code of a demo account (not in production)').action(async (login: string) => {
  const config = loadConfig();
  if (config.production) throw new Error('refused in production');
  await withPlatform(async (p) => console.log(await p.staff.currentDemoTotp(login)));
});

const vault = program.command('vault').description('personal-data vault');
vault.command('migrate')
  .description('move a municipality\'s vault; verifies counts and per-record hashes before switching')
  .requiredOption('--municipality <code>', 'municipality code')
  .addOption(new Option('--to <location>', 'target location').choices(VAULT_LOCATIONS as unknown as string[]).makeOptionMandatory())
  .option('--url <url>', 'postgres: connection URL; remote: base URL (${ENV} placeholders allowed)')
  .option('--public-key <file>', 'remote: the vault service\'s public key (PEM file)')
  .action(async (o: { municipality: string; to: VaultLocation; url?: string; publicKey?: string }) => {
    const result = await withPlatform((p) => migrateVault(p, o.municipality, {
      location: o.to, url: o.url ?? null, publicKey: o.publicKey ? fs.readFileSync(o.publicKey, 'utf8') : null,
    }, { actor: 'operator:cli', requestId: `cli-${Date.now()}` }));
    console.log(`vault of ${result.municipalityCode} moved ${result.from} → ${result.to}: ${result.records} records, counts and hashes verified`);
  });

vault.command('serve')
  .description('run the vault as its own service (signed requests), e.g. inside LGWAN')
  .option('--port <port>', 'port', '8443')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--data-dir <dir>', 'embedded database directory', './vault-data')
  .option('--database-url <url>', 'PostgreSQL database instead of the embedded one')
  .requiredOption('--key <file>', 'this vault\'s Ed25519 private key (PEM); created if missing')
  .requiredOption('--trust <files...>', 'public keys (PEM) of platforms allowed to call')
  .option('--municipality <codes...>', 'serve only these municipalities')
  .option('--tls-cert <file>', 'TLS certificate (PEM)')
  .option('--tls-key <file>', 'TLS private key (PEM)')
  .action(async (o: { port: string; host: string; dataDir: string; databaseUrl?: string; key: string; trust: string[]; municipality?: string[]; tlsCert?: string; tlsKey?: string }) => {
    const serverPem = loadOrCreateSecret(o.key, () => generateSigningKey().privatePem, false, 'vault key');
    const store = o.databaseUrl ? await SqlVaultStore.postgres(o.databaseUrl) : await SqlVaultStore.embedded(o.dataDir);
    const app = buildVaultServer({
      store, serverPrivatePem: serverPem, trustedClientPems: o.trust.map((f) => fs.readFileSync(f, 'utf8')), municipalities: o.municipality,
      logger: true, https: o.tlsCert && o.tlsKey ? { cert: fs.readFileSync(o.tlsCert), key: fs.readFileSync(o.tlsKey) } : undefined,
    });
    await app.listen({ port: Number(o.port), host: o.host });
    console.log(`vault public key:\n${publicPemOf(serverPem)}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void app.close().then(() => process.exit(0)); });
  });

vault.command('keygen').description('create an Ed25519 key pair; prints the public key').requiredOption('--out <file>', 'private key file').action((o: { out: string }) => {
  const pem = loadOrCreateSecret(o.out, () => generateSigningKey().privatePem, false, 'key');
  process.stdout.write(publicPemOf(pem));
});

vault.command('client-key').description('print the platform\'s public key, for a remote vault\'s --trust').action(() => {
  const config = loadConfig();
  const pem = loadOrCreateSecret(config.vaultClientKeyFile, () => generateSigningKey().privatePem, config.production, 'vault client key');
  process.stdout.write(publicPemOf(pem));
});

const oidc = program.command('oidc').description('OpenID Connect provider for joint-use services');
const oidcClient = oidc.command('client').description('registered services (clients); the admin screen does the same');
const cliCaller = () => ({ system: 'operator:cli', requestId: `cli-${Date.now()}` });
oidcClient.command('add')
  .description('register a service; prints its client id and (confidential clients) its secret, shown once')
  .requiredOption('--municipality <code>', 'municipality code that registers the service')
  .requiredOption('--name <ja>', 'service name (Japanese)')
  .option('--name-en <en>', 'service name (English); defaults to --name')
  .requiredOption('--redirect-uri <uris...>', 'redirect URIs (https; http://localhost or 127.0.0.1 outside production)')
  .option('--scopes <scopes>', 'items the service may ask for, comma-separated: profile,address,birthdate,gender', 'profile')
  .option('--public', 'a public client (PKCE only, no secret)')
  .action(async (o: { municipality: string; name: string; nameEn?: string; redirectUri: string[]; scopes: string; public?: boolean }) => {
    const { client, clientSecret } = await withPlatform((p) => p.oidcClients.create(cliCaller(), o.municipality, {
      nameJa: o.name, nameEn: o.nameEn ?? o.name, redirectUris: o.redirectUri,
      scopes: o.scopes.split(',').map((s) => s.trim()).filter(Boolean), tokenEndpointAuthMethod: o.public ? 'none' : 'client_secret_basic',
    }));
    console.log(`client_id=${client.clientId}`);
    if (clientSecret) console.log(`client_secret=${clientSecret}`);
    console.log(`scopes=${client.scopes.join(' ')}\nredirect_uris=${client.redirectUris.join(' ')}`);
  });
oidcClient.command('list').description('services registered by a municipality').requiredOption('--municipality <code>', 'municipality code').action(async (o: { municipality: string }) => {
  for (const c of await withPlatform((p) => p.oidcClients.list(cliCaller(), o.municipality))) {
    console.log(`${c.clientId}\t${c.name.ja}\t${c.scopes.join(' ')}\t${c.redirectUris.join(' ')}${c.disabledAt ? `\tdisabled ${c.disabledAt}` : ''}`);
  }
});
oidcClient.command('disable').description('disable a service at once').requiredOption('--municipality <code>', 'municipality code').requiredOption('--client-id <id>', 'client id')
  .action(async (o: { municipality: string; clientId: string }) => {
    const c = await withPlatform((p) => p.oidcClients.disable(cliCaller(), o.municipality, o.clientId));
    console.log(`${c.clientId} disabled at ${c.disabledAt}`);
  });

registerCardCommands(program);

program.parseAsync().catch((err: unknown) => {
  if (err instanceof KazashiError) console.error(`${err.code}: ${err.messages().en}\n${err.messages().ja}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
