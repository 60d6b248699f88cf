import { randomBytes } from 'node:crypto';

/** Opaque ids that sort by creation time. */
export const newId = (): string =>
  `${Date.now().toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
