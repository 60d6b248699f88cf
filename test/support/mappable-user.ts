import type { MappableUser } from '../../shared/src/mapping/scim-user.ts';

/** Ada as the SCIM mapping sees a directory user, for the mapping's and the SCIM client's unit tests. */
export const buildMappableUser = (overrides: Partial<MappableUser> = {}): MappableUser => ({
  id: 'u-1',
  firstname: 'Ada',
  lastname: 'Lovelace',
  email: 'ada@example.com',
  username: 'ada',
  department: 'Engineering',
  title: 'Analyst',
  custom: {},
  status: 'active',
  ...overrides,
});
