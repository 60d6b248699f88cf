import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  LIST_RESPONSE_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from '../../shared/src/mapping/scim-schemas.ts';

/** Pieces for hand-made, deliberately broken SCIM servers (answers no SCIM library would give). */
export const SCIM_JSON = 'application/scim+json';

/** A ListResponse with no resources: what a `userName eq` lookup of a new user answers. */
export const EMPTY_SCIM_LIST = JSON.stringify({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults: 0,
  startIndex: 1,
  itemsPerPage: 0,
  Resources: [],
});

/** What a plain SCIM server answers a GET with: its ServiceProviderConfig (no PATCH), else an empty list. */
export const scimReadAnswer = (url: string | undefined): string =>
  url?.endsWith('/ServiceProviderConfig')
    ? JSON.stringify({ schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA], patch: { supported: false } })
    : EMPTY_SCIM_LIST;

/** Listens on a free loopback port and returns the server's origin. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
