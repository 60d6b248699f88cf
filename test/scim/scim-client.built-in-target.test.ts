import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScimUser, type MappingParameters } from '../../shared/src/mapping/scim-user.ts';
import type { TargetUserView } from '../../shared/src/types/target-api.ts';
import { startTarget, type TargetHarness } from '../scim-target/support/target-harness.ts';
import { buildUser, DIALECT_IDS, genericResource, recordingClient, scimFailure } from './scim-test-kit.ts';

const byEmail: MappingParameters = { scimUsername: 'email', custom: [] };

describe('the SCIM client against the built-in Calendly-like target in strict mode', () => {
  let target: TargetHarness;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  const connect = async (dialect: (typeof DIALECT_IDS)[number]) => {
    const org = await target.newOrg({ strictAttributes: true });
    const { client, exchanges } = recordingClient(
      { baseUrl: `${target.baseUrl()}/scim/v2/${org.id}`, bearerToken: org.token },
      dialect,
    );
    const users = async () =>
      ((await target.adminOk('GET', `/orgs/${org.id}/users`)).items as TargetUserView[]) ?? [];
    return { client, exchanges, users };
  };

  it.each(DIALECT_IDS)(
    '%s: the calendly resource goes through create, update, suspend and delete',
    async (dialect) => {
      const { client, exchanges, users } = await connect(dialect);
      await client.testConnection();
      const resource = buildScimUser('calendly', buildUser(), byEmail);
      expect(await client.findUserIdByUserName(resource.userName)).toBeNull();
      const { id } = await client.createUser(resource);

      const renamed = buildScimUser('calendly', buildUser({ lastname: 'Byron' }), byEmail);
      await client.updateUser(id, renamed, resource);
      await client.setActive(id, false, { ...renamed, active: false });
      expect(await users()).toMatchObject([
        {
          scimId: id,
          userName: 'ada@example.com',
          displayName: 'Ada Byron',
          externalId: 'dir-ada',
          active: false,
        },
      ]);
      await client.setActive(id, true, renamed);
      expect(await users()).toMatchObject([{ scimId: id, active: true }]);
      expect(await client.findUserIdByUserName(resource.userName)).toBe(id);
      await client.deleteUser(id);
      await client.deleteUser(id);

      expect(exchanges.filter((e) => e.error !== undefined)).toEqual([]);
      expect(await users()).toEqual([]);
    },
  );

  it('refuses the generic resource with a permanent error quoting the target', async () => {
    const { client } = await connect('onelogin');
    const error = await scimFailure(client.createUser(genericResource()));
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(error.message).toContain('Unsupported attribute');
  });
});
