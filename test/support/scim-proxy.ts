import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback, SCIM_JSON } from './raw-scim-server.ts';

/** What the proxy does with one request: answer it itself, or forward it (to `forwardTo`, else unchanged). */
export type ProxyRule = (
  request: IncomingMessage,
  url: URL,
) => { answer: { status: number; body: unknown } } | { forwardTo: URL } | undefined;

export interface ScimProxy {
  origin: string;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? Buffer.concat(chunks) : undefined;
};

/**
 * A SCIM server made broken on purpose: a proxy in front of a sound one (the built-in target) that
 * `rule` lets answer or rewrite requests, e.g. drop `filter` or refuse PATCH. Point a SCIM base URL
 * at it with `throughOrigin(scimBaseUrl, proxy.origin)`.
 */
export async function startScimProxy(upstreamOrigin: string, rule: ProxyRule): Promise<ScimProxy> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', upstreamOrigin);
    const decision = rule(request, url);
    if (decision && 'answer' in decision) {
      response.writeHead(decision.answer.status, { 'content-type': SCIM_JSON });
      response.end(JSON.stringify(decision.answer.body));
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'connection'),
    ) as Record<string, string>;
    const body = await readBody(request);
    const upstream = await fetch(decision?.forwardTo ?? url, {
      method: request.method,
      headers,
      body: body ? new Uint8Array(body) : undefined,
    });
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? SCIM_JSON,
    });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  const origin = await listenOnLoopback(server);
  return {
    origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
