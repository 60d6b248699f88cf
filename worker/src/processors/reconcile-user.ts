import { type ScimUser, scimResourcesEqual } from '../../../shared/src/mapping/scim-user.ts';
import type { AppUserPatch, AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
import type { ScimClient } from '../scim/scim-client.ts';

const sameGroups = (a: string[], b: string[]) => [...a].sort().join('\n') === [...b].sort().join('\n');

const onlyActiveDiffers = (previous: ScimUser, desired: ScimUser) =>
  previous.active !== desired.active && scimResourcesEqual({ ...desired, active: previous.active }, previous);

/**
 * Brings the target in line with the user's approved intent, step by step. `persist` records each step
 * (notably the target's id right after a create) so a crash or retry never creates a second account.
 */
export async function reconcileUser(
  record: AppUserRecord,
  client: ScimClient,
  persist: (patch: AppUserPatch) => Promise<void>,
): Promise<void> {
  let id = record.externalId;
  const desired = record.intentResource;
  if (record.intent === 'absent') {
    if (id) await client.deleteUser(id);
    await persist({ externalId: null, pushedResource: null, pushedGroups: [] });
    return;
  }
  if (!desired) return;
  let previous = record.pushedResource;
  if (!id && record.intent === 'suspended') return;
  if (!id) {
    id = await client.findUserIdByUserName(desired.userName);
    if (id) {
      await persist({ externalId: id });
      await client.updateUser(id, desired, null);
    } else {
      id = (await client.createUser(desired)).id;
    }
    previous = desired;
    await persist({ externalId: id, pushedResource: desired });
  } else if (!previous || !scimResourcesEqual(previous, desired)) {
    if (previous && onlyActiveDiffers(previous, desired)) await client.setActive(id, desired.active, desired);
    else await client.updateUser(id, desired, previous);
    await persist({ pushedResource: desired });
  }
  if (!sameGroups(record.pushedGroups, record.intentGroups)) {
    await client.syncGroups(id, record.intentGroups, record.pushedGroups);
    await persist({ pushedGroups: record.intentGroups });
  }
}
