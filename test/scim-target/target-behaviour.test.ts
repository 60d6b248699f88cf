import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/redis.ts';
import { startTarget, type TargetHarness } from './support/target-harness.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('built-in target, behaviour beyond single requests', () => {
  let target: TargetHarness;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  it('answers a burst past the requests-per-second limit with 429 and Retry-After', async () => {
    const org = await target.newOrg({ strictAttributes: false });
    await target.adminOk('PUT', `/orgs/${org.id}/faults`, { rateLimit: { perSecond: 2 } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => org.scim({ method: 'GET', path: '/Users' })),
    );
    const limited = answers.filter((a) => a.status === 429);
    // 12 requests cannot all fit in the windows a burst spans at 2 per second.
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(limited[0]?.body).toMatchObject({
      status: '429',
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    });
  });

  it('creates exactly one user when the same userName is posted concurrently', async () => {
    const org = await target.newOrg({ strictAttributes: true });
    const body = { schemas: [USER], userName: 'race@acme.test', active: true };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        org.scim({
          method: 'POST',
          path: '/Users',
          body: { ...body, userName: i % 2 ? 'RACE@acme.test' : body.userName },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
    const list = await org.scim({ method: 'GET', path: '/Users' });
    expect(list.body).toMatchObject({ totalResults: 1 });
  });

  it('never exceeds the seat limit under concurrent creates', async () => {
    const org = await target.newOrg({ strictAttributes: true, seatLimit: 3 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        org.scim({
          method: 'POST',
          path: '/Users',
          body: { schemas: [USER], userName: `seat${i}@acme.test` },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(7);
  });

  it('keeps organizations, users and tokens in Redis across a restart', async () => {
    const keyPrefix = uniquePrefix('target-restart');
    const first = await startTarget({ keyPrefix });
    const org = await first.newOrg({ strictAttributes: true });
    const created = await org.scim({
      method: 'POST',
      path: '/Users',
      body: { schemas: [USER], userName: 'kept@acme.test' },
    });
    await first.close();

    const second = await startTarget({ keyPrefix, adminToken: first.adminToken });
    try {
      const id = (created.body as { id: string }).id;
      const fetched = await fetch(`${second.baseUrl()}/scim/v2/${org.id}/Users/${id}`, {
        headers: { authorization: `Bearer ${org.token}` },
      });
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toMatchObject({ id, userName: 'kept@acme.test' });
      const orgView = await second.adminOk('GET', `/orgs/${org.id}`);
      expect(orgView).toMatchObject({
        scimEnabled: true,
        scimBaseUrl: `${second.baseUrl()}/scim/v2/${org.id}`,
      });
    } finally {
      await second.close();
    }
  });
});
