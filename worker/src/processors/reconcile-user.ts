import { type ScimUser, scimResourcesEqual } from '../../../shared/src/mapping/scim-user.ts';
import type { AppUserPatch } from '../../../shared/src/provisioning/lifecycle.ts';
import type { ScimClient } from '../../../shared/src/scim-client/scim-client.ts';
import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';

/** The user was unassigned (or its intent withdrawn) after the push was queued: nothing is created. */
export class NoLongerWanted extends Error {
  constructor() {
    super('the user is no longer assigned to the app, so no account is created.');
    this.name = 'NoLongerWanted';
  }
}

const sameGroups = (a: string[], b: string[]) => [...a].sort().join('\n') === [...b].sort().join('\n');

const onlyActiveDiffers = (previous: ScimUser, desired: ScimUser) =>
  previous.active !== desired.active && scimResourcesEqual({ ...desired, active: previous.active }, previous);

/**
 * Brings the target in line with the user's approved intent, step by step. `persist` records each step
 * (notably the target's id right after a create, and that the account is no longer known before it is
 * changed) before the next call to the target, so a crash or retry never creates a second account nor
 * skips a change. What the last step changed is returned instead, for the caller to write
 * with the job's outcome in one transaction: a crash before that write leaves a retry to find the account
 * by its userName, as it would a crash just before a `persist`. `persist` answers whether the user is
 * still wanted, read with the step: a user no longer assigned when its create is recorded is never created.
 * `recordedCreate`: the userName whose create the push's start already recorded that way (see
 * AppUsersStore.loadForPush), so its step costs no write of its own.
 */
export async function reconcileUser(
  record: AppUserRecord,
  client: ScimClient,
  persist: (patch: AppUserPatch) => Promise<boolean>,
  recordedCreate: string | null = null,
): Promise<AppUserPatch> {
  let id = record.externalId;
  const desired = record.intentResource;
  // A create whose answer was lost (the worker died) may have left an account: find it by userName.
  if (!id && record.creating && record.intent !== 'active')
    id = await client.findUserIdByUserName(record.creating);
  if (record.intent === 'absent') {
    if (id) await client.deleteUser(id);
    return { externalId: null, pushedResource: null, pushedGroups: [], creating: null };
  }
  if (!desired) return {};
  if (!id && record.intent === 'suspended') return record.creating ? { creating: null } : {};
  let pushed: AppUserPatch = {};
  if (!id) {
    id = await client.findUserIdByUserName(desired.userName);
    if (id) {
      await persist({ externalId: id });
      await client.updateUser(id, desired, null);
    } else {
      // Recorded before the POST, with the intent read in the same step: an unassign from now on knows
      // an account may exist, and one before it is seen here.
      const recorded = recordedCreate === desired.userName || (await persist({ creating: desired.userName }));
      if (!recorded) throw new NoLongerWanted();
      id = (await client.createUser(desired)).id;
    }
    pushed = { externalId: id, pushedResource: desired, creating: null };
  } else if (!record.pushedResource || !scimResourcesEqual(record.pushedResource, desired)) {
    const previous = record.pushedResource;
    // From here the account may differ from what was recorded: should this push's outcome be lost, the
    // next push must not trust the old record (it would see nothing to change) but replace the account.
    if (previous) await persist({ pushedResource: null });
    if (previous && onlyActiveDiffers(previous, desired)) await client.setActive(id, desired.active, desired);
    else await client.updateUser(id, desired, previous);
    pushed = { pushedResource: desired };
  }
  if (sameGroups(record.pushedGroups, record.intentGroups)) return pushed;
  if (Object.keys(pushed).length > 0) await persist(pushed);
  await client.syncGroups(id, record.intentGroups, record.pushedGroups);
  return { pushedGroups: record.intentGroups };
}
