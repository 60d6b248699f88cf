import express, { type Request, type Response, type Router } from 'express';
import type { Filter } from 'scim2-parse-filter';
import { z } from 'zod';
import { firstIssue } from '../../../shared/src/errors/invalid-input.ts';
import { jsonBody } from '../../../shared/src/http/json-body.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';
import type { OrgsService } from '../orgs/orgs.service.ts';
import type { OrgRecord, TargetStore } from '../store/target-store.ts';
import { faults } from './faults.middleware.ts';
import { journal } from './journal.middleware.ts';
import { loadOrg, requireOrgToken } from './org-auth.middleware.ts';
import { project } from './scim-attributes.ts';
import { ScimError, scimBadRequest, scimErrorHandler, sendScim } from './scim-error.ts';
import { matches, parseFilter } from './scim-filter.ts';
import type { ScimGroupsService } from './scim-groups.service.ts';
import { withLocation } from './scim-meta.ts';
import {
  LIST_SCHEMA,
  type ResourceKind,
  resourceTypes,
  type ScimResourceJson,
  schemaDocuments,
  serviceProviderConfig,
} from './scim-schemas.ts';
import type { ScimUsersService } from './scim-users.service.ts';

const SCIM_BODY_LIMIT = '1mb';
const MAX_RESULTS = 1000;

const listQuery = z.object({
  filter: z.string().max(10_000).optional(),
  startIndex: z.coerce.number().int().optional(),
  count: z.coerce.number().int().optional(),
  attributes: z.string().max(2000).optional(),
  excludedAttributes: z.string().max(2000).optional(),
});

const projectionQuery = listQuery.pick({ attributes: true, excludedAttributes: true });

const SEARCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
/** RFC 7644 §3.4.3: the same query in a POST body, with attribute lists as arrays. */
const searchBody = z
  .object({
    schemas: z
      .array(z.string())
      .refine((s) => s.includes(SEARCH_SCHEMA), { message: `must contain ${SEARCH_SCHEMA}` }),
    filter: z.string().max(10_000).optional(),
    startIndex: z.number().int().optional(),
    count: z.number().int().optional(),
    attributes: z.array(z.string()).max(200).optional(),
    excludedAttributes: z.array(z.string()).max(200).optional(),
  })
  .transform(({ attributes, excludedAttributes, ...rest }) => ({
    ...rest,
    attributes: attributes?.join(','),
    excludedAttributes: excludedAttributes?.join(','),
  }));

type ListParams = z.infer<typeof listQuery>;

function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error);
  throw scimBadRequest('invalidValue', `${field || 'query'}: ${message}`);
}

/** The operations one resource type offers; Users and Groups both fit it. */
interface ResourceOperations {
  /** Candidates for `filter` (all resources, or fewer when an index answers it); the router still applies it. */
  list(org: OrgRecord, filter: Filter | undefined): Promise<ScimResourceJson[]>;
  get(org: OrgRecord, id: string): Promise<ScimResourceJson>;
  create(org: OrgRecord, body: unknown): Promise<ScimResourceJson>;
  replace(org: OrgRecord, id: string, body: unknown, ifMatch?: string): Promise<ScimResourceJson>;
  patch(org: OrgRecord, id: string, body: unknown, ifMatch?: string): Promise<ScimResourceJson>;
  delete(org: OrgRecord, id: string, ifMatch?: string): Promise<void>;
}

const byCreation = (a: ScimResourceJson, b: ScimResourceJson) => {
  const created = (r: ScimResourceJson) =>
    String((r.meta as { created?: string } | undefined)?.created ?? '');
  return created(a).localeCompare(created(b)) || String(a.id).localeCompare(String(b.id));
};

export function createScimRouter(deps: {
  store: TargetStore;
  orgs: OrgsService;
  users: ScimUsersService;
  groups: ScimGroupsService;
  logger: Logger;
}): Router {
  const { store, orgs } = deps;
  const router = express.Router({ mergeParams: true });
  const baseUrl = (res: Response) => orgs.view(res.locals.org as OrgRecord).scimBaseUrl;
  const org = (res: Response) => res.locals.org as OrgRecord;

  router.use(loadOrg(store));
  router.use(journal(store, deps.logger));
  router.use(requireOrgToken(orgs));
  // Any content type is read as JSON: IdPs send application/scim+json, application/json, or nothing at all.
  router.use(jsonBody({ type: () => true, limit: SCIM_BODY_LIMIT, strict: false }));
  router.use(faults(store));

  router.get('/ServiceProviderConfig', (_req, res) =>
    sendScim(res, 200, serviceProviderConfig(baseUrl(res))),
  );
  router.get('/ResourceTypes', (_req, res) => sendScim(res, 200, listOf(resourceTypes(baseUrl(res)))));
  router.get('/ResourceTypes/:id', (req, res) =>
    sendScim(res, 200, findById(resourceTypes(baseUrl(res)), req)),
  );
  router.get('/Schemas', (_req, res) => sendScim(res, 200, listOf(schemaDocuments(baseUrl(res)))));
  router.get('/Schemas/:id', (req, res) => sendScim(res, 200, findById(schemaDocuments(baseUrl(res)), req)));
  // RFC 7644 §4: the discovery endpoints are read-only.
  router.all(
    ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/:id', '/Schemas', '/Schemas/:id'],
    (req) => {
      throw new ScimError(405, `${req.path} is read-only: only GET is allowed.`, undefined, {
        Allow: 'GET, HEAD',
      });
    },
  );

  const mount = (collection: string, kind: ResourceKind, ops: ResourceOperations) => {
    const render = (res: Response, status: number, resource: ScimResourceJson, req: Request) => {
      const located = withLocation(resource, baseUrl(res));
      const { attributes, excludedAttributes } = parseQuery(projectionQuery, req.query);
      const version = String((located.meta as { version: string }).version);
      res.set('ETag', version);
      const ifNoneMatch = req.get('if-none-match');
      if (req.method === 'GET' && ifNoneMatch?.split(',').some((v) => v.trim() === version)) {
        res.status(304).end();
        return;
      }
      if (status === 201) res.set('Location', String((located.meta as { location: string }).location));
      sendScim(res, status, project(located, attributes, excludedAttributes));
    };

    const list = async (res: Response, query: ListParams) => {
      const filter = query.filter?.trim() ? parseFilter(query.filter) : undefined;
      const candidates = await ops.list(org(res), filter);
      const matched = (filter ? candidates.filter((r) => matches(kind, filter, r)) : candidates).sort(
        byCreation,
      );
      const startIndex = Math.max(1, query.startIndex ?? 1);
      const count = Math.min(MAX_RESULTS, Math.max(0, query.count ?? MAX_RESULTS));
      const page = matched.slice(startIndex - 1, startIndex - 1 + count);
      sendScim(res, 200, {
        schemas: [LIST_SCHEMA],
        totalResults: matched.length,
        startIndex,
        itemsPerPage: page.length,
        Resources: page.map((r) =>
          project(withLocation(r, baseUrl(res)), query.attributes, query.excludedAttributes),
        ),
      });
    };

    router.get(`/${collection}`, (req, res) => list(res, parseQuery(listQuery, req.query)));
    router.post(`/${collection}/.search`, (req, res) => list(res, parseQuery(searchBody, req.body)));
    router.post(`/${collection}`, async (req, res) =>
      render(res, 201, await ops.create(org(res), req.body), req),
    );
    router.get(`/${collection}/:id`, async (req, res) =>
      render(res, 200, await ops.get(org(res), String(req.params.id)), req),
    );
    router.put(`/${collection}/:id`, async (req, res) =>
      render(
        res,
        200,
        await ops.replace(org(res), String(req.params.id), req.body, req.get('if-match')),
        req,
      ),
    );
    router.patch(`/${collection}/:id`, async (req, res) =>
      render(res, 200, await ops.patch(org(res), String(req.params.id), req.body, req.get('if-match')), req),
    );
    router.delete(`/${collection}/:id`, async (req, res) => {
      await ops.delete(org(res), String(req.params.id), req.get('if-match'));
      res.status(204).end();
    });
  };

  const { users, groups } = deps;
  const one = async (orgId: string, resource: ScimResourceJson) =>
    (await users.withGroups(orgId, [resource]))[0] as ScimResourceJson;
  mount('Users', 'User', {
    list: async (o, filter) => users.withGroups(o.id, await users.list(o.id, filter)),
    get: async (o, id) => one(o.id, (await users.get(o.id, id)).resource),
    create: async (o, body) => one(o.id, await users.create(o, body)),
    replace: async (o, id, body, ifMatch) => one(o.id, await users.replace(o, id, body, ifMatch)),
    patch: async (o, id, body, ifMatch) => one(o.id, await users.patch(o, id, body, ifMatch)),
    delete: (o, id, ifMatch) => users.delete(o.id, id, ifMatch),
  });
  mount('Groups', 'Group', {
    list: (o) => groups.list(o.id),
    get: (o, id) => groups.get(o.id, id),
    create: (o, body) => groups.create(o.id, body),
    replace: (o, id, body, ifMatch) => groups.replace(o.id, id, body, ifMatch),
    patch: (o, id, body, ifMatch) => groups.patch(o.id, id, body, ifMatch),
    delete: (o, id, ifMatch) => groups.delete(o.id, id, ifMatch),
  });

  router.use((req) => {
    throw new ScimError(404, `No SCIM endpoint ${req.method} ${req.path}.`);
  });
  router.use(scimErrorHandler(deps.logger));
  return router;
}

function listOf(resources: unknown[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

function findById(resources: ScimResourceJson[], req: Request): ScimResourceJson {
  const id = String(req.params.id);
  const found = resources.find((r) => String(r.id).toLowerCase() === id.toLowerCase());
  if (!found) throw new ScimError(404, `${id} not found.`);
  return found;
}
