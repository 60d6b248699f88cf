import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/src/cli-io.ts';
import { parseScenario } from '../../cli/src/scenario/load-scenario.ts';
import { runScenario } from '../../cli/src/scenario/run-scenario.ts';
import { useStack } from '../support/factories.ts';
import { createTargetOrg, targetUsers } from '../support/target-org.ts';

/** A scenario against "any SCIM server": here an org of the built-in target reached only by its URL and token. */
const scenario = (scimUrl: string) => `
name: external
target:
  external: { scimUrl: "${scimUrl}", tokenEnv: STAGING_SCIM_TOKEN }
apps:
  - name: Okta-style
    connector: scim-generic
    dialect: okta
    approvals: { create: true, update: false, delete: true }
users:
  - { key: ada, firstname: Ada, lastname: Lovelace, email: ada.external@example.com }
  - { key: bob, firstname: Bob, lastname: Builder, email: bob.external@example.com }
steps:
  - assign: { app: Okta-style, users: all }
  - approve: { app: Okta-style, users: [ada] }
  - wait-idle: {}
  - expect:
      target-users:
        users:
          - { user: ada, active: true, attributes: { name.familyName: Lovelace } }
          - { user: bob, present: false }
      app-users: { app: Okta-style, users: [{ user: ada, state: provisioned }, { user: bob, state: pending }] }
`;

describe('a scenario with an external target', () => {
  const { api, target } = useStack();

  it('reads the token from the environment variable it names and checks the server by SCIM', async () => {
    const org = await createTargetOrg(target, { strictAttributes: false });
    const loaded = parseScenario(scenario(org.scimBaseUrl), 'external.yaml');
    const result = await runScenario(api.typed, loaded, { env: { STAGING_SCIM_TOKEN: org.token } });
    expect(result.steps.filter((s) => s.status !== 'pass')).toEqual([]);
    expect((await targetUsers(target, org.orgId)).map((u) => u.userName)).toEqual([
      'ada.external@example.com',
    ]);
  });

  it('stops as bad input when that variable is not set', async () => {
    const loaded = parseScenario(scenario('http://127.0.0.1:9/scim/v2'), 'external.yaml');
    await expect(runScenario(api.typed, loaded, { env: {} })).rejects.toThrow(
      new UsageError('target.external.tokenEnv: STAGING_SCIM_TOKEN is not set in the environment'),
    );
  });
});
