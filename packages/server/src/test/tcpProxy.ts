// A TCP relay between the server under test and PostgreSQL, so that a test can take the database
// away from one server (every connection reset, new ones refused) without stopping the PostgreSQL
// cluster that other test files share.
import net from 'node:net';

export interface TcpProxy {
  /** Host and port to connect to instead of the target. */
  readonly port: number;
  /** Resets every relayed connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  /** Connections relayed right now. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair = { a: client, b: upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const proxy: TcpProxy = {
    port,
    cut() {
      down = true;
      for (const { a, b } of [...pairs]) {
        a.resetAndDestroy();
        b.destroy();
      }
      pairs.clear();
    },
    restore() {
      down = false;
    },
    get open() {
      return pairs.size;
    },
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
