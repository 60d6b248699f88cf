import { createServer, type Server, type Socket } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText } from './answer-text.ts';

/** A target that answers each request with the raw HTTP the test names in the request's path. */
const ANSWERS: Record<string, string> = {
  '/bom':
    'HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 14\r\n\r\n\ufeff{"id":"é"}',
  '/early-hints':
    'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}',
  '/twice':
    'HTTP/1.1 429 Too Many\r\nContent-Type: a/b\r\ncontent-type: c/d\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n',
  '/chunked':
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n5\r\n":"b"\r\n1\r\n}\r\n0\r\n\r\n',
};

describe('answerText (a target answer read whole through undici dispatch)', () => {
  let server: Server;
  let origin: string;
  const agent = new Agent({ headersTimeout: 2000, bodyTimeout: 2000, maxResponseSize: 1024 });

  beforeAll(async () => {
    server = createServer((socket: Socket) => {
      socket.on('data', (data) => {
        const path = /^[A-Z]+ (\S+)/.exec(data.toString('latin1'))?.[1] ?? '';
        if (path === '/reset') socket.resetAndDestroy();
        else if (path === '/large')
          socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n${'x'.repeat(4096)}`);
        else socket.write(ANSWERS[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string) => answerText(agent, { origin, path, method: 'GET', headers: {} });

  it('decodes the body as UTF-8 without its byte order mark, and reads the content type', async () => {
    await expect(get('/bom')).resolves.toEqual({
      status: 200,
      contentType: 'application/scim+json',
      retryAfter: undefined,
      text: '{"id":"é"}',
    });
  });

  it('passes over an informational answer to the final one', async () => {
    await expect(get('/early-hints')).resolves.toMatchObject({ status: 201, text: '{}' });
  });

  it('joins a header sent twice, as undici reads it, and reads Retry-After', async () => {
    await expect(get('/twice')).resolves.toEqual({
      status: 429,
      contentType: 'a/b,c/d',
      retryAfter: '7',
      text: '',
    });
  });

  it('reads a body sent in chunks whole', async () => {
    await expect(get('/chunked')).resolves.toMatchObject({ status: 200, text: '{"a":"b"}' });
  });

  it("fails with the errors undici's request gives: a reset connection, an answer over the limit", async () => {
    const viaRequest = async (path: string) => {
      const answer = await agent.request({ origin, path, method: 'GET', headers: {} });
      return answer.body.text();
    };
    const failures: [path: string, code: string][] = [
      ['/reset', 'ECONNRESET'],
      ['/large', 'UND_ERR_RES_EXCEEDED_MAX_SIZE'],
    ];
    for (const [path, code] of failures) {
      await expect(viaRequest(path)).rejects.toMatchObject({ code });
      await expect(get(path)).rejects.toMatchObject({ code });
    }
  });
});
