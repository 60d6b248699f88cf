import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LIST_RESPONSE_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import { listenOnLoopback, SCIM_JSON } from '../support/raw-scim-server.ts';
import { recordingClient } from './scim-test-kit.ts';

/** A SCIM server of `total` users that pages by `startIndex` only when `honoursStartIndex`, 2 users a page. */
async function listingServer(total: number, honoursStartIndex: boolean) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const start = honoursStartIndex ? Number(url.searchParams.get('startIndex') ?? 1) : 1;
    const ids = Array.from({ length: total }, (_, i) => i + 1).slice(start - 1, start + 1);
    res.writeHead(200, { 'content-type': SCIM_JSON });
    res.end(
      JSON.stringify({
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: total,
        startIndex: start,
        itemsPerPage: ids.length,
        Resources: ids.map((i) => ({ id: `u${i}`, userName: `user${i}@example.test` })),
      }),
    );
  });
  const origin = await listenOnLoopback(server);
  return { baseUrl: `${origin}/scim/v2`, paths, close: () => server.close() };
}

describe('reading every account of a target (import)', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('follows the pages the server gives, by its own page size, until totalResults', async () => {
    const server = await listingServer(5, true);
    close = server.close;
    const { client } = recordingClient({ baseUrl: server.baseUrl, bearerToken: 't' }, 'onelogin');
    const listed = await client.listAllUsers(1000);
    expect(listed.users.map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(listed.reportedTotal).toBe(5);
    expect(server.paths).toEqual([
      '/scim/v2/Users?startIndex=1&count=200',
      '/scim/v2/Users?startIndex=3&count=200',
      '/scim/v2/Users?startIndex=5&count=200',
    ]);
  });

  it('stops when a server ignores startIndex (the same page again), reporting the total it claimed', async () => {
    const server = await listingServer(5, false);
    close = server.close;
    const { client } = recordingClient({ baseUrl: server.baseUrl, bearerToken: 't' }, 'okta');
    const listed = await client.listAllUsers(1000);
    expect(listed).toEqual({
      users: [
        { id: 'u1', userName: 'user1@example.test' },
        { id: 'u2', userName: 'user2@example.test' },
      ],
      reportedTotal: 5,
    });
    expect(server.paths).toHaveLength(2);
  });

  it('reads no more than asked', async () => {
    const server = await listingServer(5, true);
    close = server.close;
    const { client } = recordingClient({ baseUrl: server.baseUrl, bearerToken: 't' }, 'rfc');
    expect((await client.listAllUsers(3)).users.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(server.paths).toHaveLength(2);
  });
});
