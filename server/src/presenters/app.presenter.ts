import { heldTasks } from '../../../shared/src/provisioning/deletion-hold.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppRecord, AppView } from '../../../shared/src/types/app.schema.ts';

/** Shows only the last four characters of a secret. */
export const maskSecret = (secret: string | null): string | null =>
  secret ? `••••${secret.slice(-4)}` : null;

/** The contract's view of an app: the token masked, the counts, and the deletion hold with its count. */
export async function appView(stores: Stores, app: AppRecord): Promise<AppView> {
  const [counts, held] = await Promise.all([
    stores.appUsers.counts(app.id),
    app.deletionHold ? heldTasks(stores, app.id) : Promise.resolve([]),
  ]);
  return {
    ...app,
    configuration: { ...app.configuration, scimBearerToken: maskSecret(app.configuration.scimBearerToken) },
    counts,
    deletionHold: app.deletionHold ? { since: app.deletionHold.since, count: held.length } : null,
  };
}
