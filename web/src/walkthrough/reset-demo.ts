import { api } from '../api/client.ts';
import { everyItem, MAX_PAGE } from '../api/every-item.ts';
import type { UserInput } from '../api/types.ts';

export const DEMO_ORG_NAME = 'Acme Inc.';

export const SAMPLE_USERS: UserInput[] = [
  {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email: 'ada.lovelace@acme.example',
    department: 'Engineering',
    title: 'Engineer',
  },
  {
    firstname: 'Grace',
    lastname: 'Hopper',
    email: 'grace.hopper@acme.example',
    department: 'Engineering',
    title: 'Admiral',
  },
  {
    firstname: 'Alan',
    lastname: 'Turing',
    email: 'alan.turing@acme.example',
    department: 'Research',
    title: 'Researcher',
  },
];

const allUserIds = async (): Promise<string[]> =>
  (await everyItem((cursor) => api.users.list({ limit: MAX_PAGE, cursor }))).map((user) => user.id);

/**
 * A clean demo through the public API only: apps first (so deleting users pushes nothing),
 * then the directory and the Calendly orgs; then one fresh org and a few sample users.
 */
export async function resetDemo(): Promise<void> {
  for (const app of await api.apps.list()) await api.apps.remove(app.id);
  for (const userId of await allUserIds()) await api.users.remove(userId);
  for (const org of await api.target.allOrgs()) await api.target.removeOrg(org.id);
  await api.target.createOrg({ name: DEMO_ORG_NAME });
  for (const user of SAMPLE_USERS) await api.users.create(user);
}
