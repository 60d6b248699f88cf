import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * `forward`: pass bytes both ways. `refuse`: nothing listens (clients get ECONNREFUSED).
 * `hang`: accept connections and never answer.
 */
export type ProxyMode = 'forward' | 'refuse' | 'hang';

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  mode(): ProxyMode;
  /** Switches mode; leaving `forward` or `hang` cuts every open connection. */
  setMode(mode: ProxyMode): Promise<void>;
  /** Connections accepted since start. */
  accepted(): number;
  close(): Promise<void>;
}

/** A TCP proxy on a fixed loopback port in front of `upstream`, which a test can cut or make hang. */
export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  let current: ProxyMode = 'forward';
  let server: Server | null = null;
  let accepted = 0;
  const sockets = new Set<Socket>();

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const onConnection = (client: Socket) => {
    accepted += 1;
    track(client);
    if (current === 'hang') return;
    const remote = createConnection(upstream);
    track(remote);
    client.pipe(remote);
    remote.pipe(client);
    client.on('close', () => remote.destroy());
    remote.on('close', () => client.destroy());
  };

  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer(onConnection);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
    });

  const cutAll = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
    });

  server = await listen(0);
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('tcp proxy: no address');
  const port = address.port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    mode: () => current,
    accepted: () => accepted,
    setMode: async (mode) => {
      if (mode === current) return;
      const previous = current;
      current = mode;
      if (previous !== 'refuse') await cutAll();
      if (mode === 'refuse') await stopListening();
      else if (!server) server = await listen(port);
    },
    close: async () => {
      await cutAll();
      await stopListening();
    },
  };
}
