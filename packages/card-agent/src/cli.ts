#!/usr/bin/env node
// kazashi-card-agent: run on the kiosk PC next to the browser. It exposes the PC/SC card readers to
// the kiosk page over ws://127.0.0.1:<port>, to the allowed origins only, after pairing.
import { parseArgs } from 'node:util';
import { JpkiError } from '@kazashi/jpki';
import { CardAgent } from './agent.js';
import { openPcscSource } from './pcscSource.js';

const HELP = `Usage: kazashi-card-agent --origin URL [--origin URL ...] [--port 48771] [--token TOKEN] [--extended-length auto|on|off]

  --origin           kiosk page origin allowed to connect, e.g. https://kazashi.example.lg.jp (repeatable)
  --port             local port (default 48771; always bound to 127.0.0.1)
  --token            pairing token the page must present (default: a random one, printed at start);
                     one that starts with - is written --token=TOKEN
  --extended-length  whether to use extended-length APDUs (default auto: probe the reader)`;

async function main() {
  const { values } = parseArgs({
    options: {
      origin: { type: 'string', multiple: true },
      port: { type: 'string', default: '48771' },
      token: { type: 'string' },
      'extended-length': { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.origin?.length) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  const ext = values['extended-length'];
  const source = await openPcscSource({ extendedLength: ext === 'on' ? true : ext === 'off' ? false : undefined });
  const agent = new CardAgent({
    source, allowedOrigins: values.origin, pairingToken: values.token,
    log: (m) => console.log(`${new Date().toISOString()} ${m}`),
  });
  const { url } = await agent.listen(Number(values.port));
  console.log(`card agent listening on ${url}`);
  console.log(`allowed origins: ${values.origin.join(', ')}`);
  if (!values.token) console.log(`pairing token: ${agent.pairingToken}`);
  console.log(`readers: ${source.readers().map((r) => `${r.name}${r.cardPresent ? ' (card)' : ''}`).join(', ') || '(none yet)'}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void agent.close().then(() => process.exit(0)); });
}

main().catch((err: unknown) => {
  if (err instanceof JpkiError) {
    const m = err.messages();
    console.error(`${m.en}\n${m.ja}`);
    const hint = (err as { hint?: string }).hint;
    if (hint) console.error(`→ ${hint}`);
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
