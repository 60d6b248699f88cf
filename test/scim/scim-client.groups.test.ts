import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../shared/src/mapping/scim-dialects.ts';
import { type ScimmyServer, useScimmyServer } from '../support/scimmy-server.ts';
import { DIALECT_IDS, genericResource, recordingClient } from './scim-test-kit.ts';

const membersOf = async (server: ScimmyServer) =>
  Object.fromEntries(
    (await server.groups()).map((g) => [g.displayName, g.members.map((m) => m.value).sort()]),
  );

describe.each(DIALECT_IDS)('group membership in the %s dialect', (dialect) => {
  const server = useScimmyServer('each');

  it('creates missing groups by displayName, then PATCHes members in and out', async () => {
    const { client, exchanges } = recordingClient(server(), dialect);
    const { id: ada } = await client.createUser(genericResource());
    const { id: bob } = await client.createUser(genericResource({ id: 'dir-bob', email: 'bob@example.com' }));

    await client.syncGroups(ada, ['Engineering', 'Compilers'], []);
    expect(await membersOf(server())).toEqual({ Engineering: [ada], Compilers: [ada] });

    await client.syncGroups(bob, ['Engineering'], []);
    expect(await membersOf(server())).toEqual({ Engineering: [ada, bob].sort(), Compilers: [ada] });
    const engineering = (await server().groups()).find((g) => g.displayName === 'Engineering');
    const ops = DIALECTS[dialect].ops;
    expect(server().requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/Groups/${engineering?.id}`,
      body: { Operations: [{ op: ops.add, path: 'members', value: [{ value: bob }] }] },
    });

    server().requests.length = 0;
    await client.syncGroups(ada, ['Sales'], ['Engineering', 'Compilers']);
    expect(await membersOf(server())).toEqual({ Engineering: [bob], Compilers: [], Sales: [ada] });
    const removal = server().requests.find((r) => r.method === 'PATCH');
    expect(removal?.body).toMatchObject({
      Operations: [
        dialect === 'entra'
          ? { op: 'Remove', path: 'members', value: [{ value: ada }] }
          : { op: 'remove', path: `members[value eq "${ada}"]` },
      ],
    });
    expect(exchanges.every((e) => e.error === undefined)).toBe(true);
  });

  it('does nothing for a group to leave that the target does not have', async () => {
    const { client } = recordingClient(server(), dialect);
    await client.syncGroups('someone', [], ['Ghosts']);
    expect(server().requests.map((r) => r.method)).toEqual(['GET']);
    expect(await server().groups()).toEqual([]);
  });
});
