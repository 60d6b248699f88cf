import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ScimUser } from '../../shared/src/mapping/scim-user.ts';

export interface ScimmyGroup {
  id: string;
  displayName: string;
  members: Array<{ value: string; display?: string }>;
}

export interface RecordedScimRequest {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

export interface ScimmyServer {
  baseUrl: string;
  bearerToken: string;
  users(): Promise<ScimUser[]>;
  groups(): Promise<ScimmyGroup[]>;
  requests: RecordedScimRequest[];
  failNext(status: number, count: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

type StoredResource = Record<string, unknown> & { id: string };

/** One server's resources; SCIMMY's handlers are process-wide, so each request carries its store as context. */
class ResourceStore {
  readonly users = new Map<string, StoredResource>();
  readonly groups = new Map<string, StoredResource>();
}

const plain = (instance: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(instance));

const notFound = (id: string) =>
  new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);

const sameUserName = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

type Collection = 'users' | 'groups';

const handlersFor = (collection: Collection) => ({
  egress: (resource: SCIMMY.Types.Resource, store: ResourceStore) => {
    const items = store[collection];
    if (resource.id) {
      const found = items.get(resource.id);
      if (!found) throw notFound(resource.id);
      return found;
    }
    const all = [...items.values()];
    return resource.filter ? resource.filter.match(all) : all;
  },
  ingress: (resource: SCIMMY.Types.Resource, instance: unknown, store: ResourceStore) => {
    const items = store[collection];
    const data = plain(instance);
    if (resource.id && !items.has(resource.id)) throw notFound(resource.id);
    if (collection === 'users') {
      const clash = [...items.values()].find(
        (u) => u.id !== resource.id && sameUserName(u.userName, data.userName),
      );
      if (clash)
        throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${String(data.userName)} is already taken`);
    }
    const stored = { ...data, id: resource.id ?? randomUUID() };
    items.set(stored.id, stored);
    return stored;
  },
  degress: (resource: SCIMMY.Types.Resource, store: ResourceStore) => {
    if (!resource.id || !store[collection].delete(resource.id)) throw notFound(resource.id ?? '');
  },
});

const declareResources = () => {
  if (SCIMMY.Resources.declared(SCIMMY.Resources.User)) return;
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    ...handlersFor('users'),
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
  } as never);
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, handlersFor('groups') as never);
};

const scimError = (status: number, message: string) =>
  new SCIMMY.Messages.Error({ status, message } as never);

/**
 * A real SCIM 2.0 service provider for tests: SCIMMY (through scimmy-routers) parses, filters, patches and
 * renders; this only keeps resources in memory, checks the bearer token, records requests and injects faults.
 * With `patchSupported: false` its ServiceProviderConfig says so and PATCH answers 501.
 */
export async function startScimmyServer(
  opts: { bearerToken?: string; patchSupported?: boolean } = {},
): Promise<ScimmyServer> {
  declareResources();
  const bearerToken = opts.bearerToken ?? randomBytes(16).toString('hex');
  const store = new ResourceStore();
  const requests: RecordedScimRequest[] = [];
  const faults: Array<{ status: number; headers: Record<string, string> }> = [];
  const app = express();
  app.use(express.json({ type: ['application/scim+json', 'application/json'] }));
  app.use((req, res, next) => {
    res.on('finish', () =>
      requests.push({
        method: req.method,
        path: req.originalUrl.replace(/^\/scim\/v2/, ''),
        body: req.body,
        status: res.statusCode,
      }),
    );
    const fault = faults.shift();
    if (!fault) return next();
    res
      .status(fault.status)
      .set(fault.headers)
      .type('application/scim+json')
      .send(scimError(fault.status, 'Injected fault'));
  });
  // Express 5 re-parses req.query on every read, so scimmy-routers' cast of startIndex/count to numbers
  // was lost and SCIMMY answered every list from index 1: give it a query object it can write to.
  app.use((req, _res, next) => {
    Object.defineProperty(req, 'query', { value: { ...req.query }, writable: true });
    next();
  });
  if (opts.patchSupported === false) {
    const authorised = (req: express.Request) => req.get('authorization') === `Bearer ${bearerToken}`;
    app.get('/scim/v2/ServiceProviderConfig', async (req, res, next) => {
      if (!authorised(req)) return next();
      const config = plain(await new SCIMMY.Resources.ServiceProviderConfig().read());
      res.type('application/scim+json').send({ ...config, patch: { supported: false } });
    });
    app.patch('/scim/v2/*path', (req, res, next) => {
      if (!authorised(req)) return next();
      res.status(501).type('application/scim+json').send(scimError(501, 'PATCH is not supported'));
    });
  }
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req: express.Request) => {
        if (req.get('authorization') !== `Bearer ${bearerToken}`)
          throw new Error('Bearer token is missing or invalid');
        return 'scim-client';
      },
      context: () => store,
    }) as unknown as express.Router,
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    bearerToken,
    users: async () => [...store.users.values()].map((u) => structuredClone(u) as unknown as ScimUser),
    groups: async () =>
      [...store.groups.values()].map((g) => ({
        id: g.id,
        displayName: String(g.displayName),
        members: structuredClone((g.members as ScimmyGroup['members'] | undefined) ?? []),
      })),
    requests,
    failNext: (status, count, headers = {}) => {
      for (let i = 0; i < count; i++) faults.push({ status, headers });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A SCIMMY server for the suite's tests: one for all of them, or a fresh one for each (`'each'`).
 * Answers a getter: the server exists once the before hook has run.
 */
export function useScimmyServer(scope: 'all' | 'each' = 'all'): () => ScimmyServer {
  let server: ScimmyServer | undefined;
  (scope === 'all' ? beforeAll : beforeEach)(async () => {
    server = await startScimmyServer();
  });
  (scope === 'all' ? afterAll : afterEach)(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the SCIMMY server starts in a before hook');
    return server;
  };
}
