import { randomBytes } from 'node:crypto';

/** Opaque ids that sort by creation time (`at`, epoch ms: now unless given). */
export const newId = (at: number = Date.now()): string =>
  `${at.toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;

const NEW_ID = /^[0-9a-z]{9}[0-9a-f]{12}$/;

/** When an id `newId` made was made (epoch ms); null for an id of another form. */
export const idTime = (id: string): number | null =>
  NEW_ID.test(id) ? Number.parseInt(id.slice(0, 9), 36) : null;
