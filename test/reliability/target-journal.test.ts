import { describe, expect, it } from 'vitest';
import { createTargetOrg, useStack } from '../support/factories.ts';
import { setFaults, targetRequests, targetUsers } from '../support/target-org.ts';

describe("the target's request journal when the caller goes away mid-request", () => {
  const { api: management } = useStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });

  it('records a create the target carried out even though its caller (a killed worker) never read the answer', async () => {
    const org = await createTargetOrg(management, { name: 'Journal Org' });
    await setFaults(management, org.orgId, { latencyMs: 400 });
    const abandoned = fetch(`${org.scimBaseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'abandoned@example.com',
        active: true,
      }),
      signal: AbortSignal.timeout(100),
    });
    await expect(abandoned).rejects.toMatchObject({ name: 'TimeoutError' });

    const deadline = Date.now() + 10_000;
    while ((await targetUsers(management, org.orgId)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await targetUsers(management, org.orgId)).map((u) => u.userName)).toEqual([
      'abandoned@example.com',
    ]);
    // The journal is written once the answer is out; give it the same time.
    let journal = await targetRequests(management, org.orgId);
    while (journal.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      journal = await targetRequests(management, org.orgId);
    }
    expect(journal.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /Users']);
  });
});
