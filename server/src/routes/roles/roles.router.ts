import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import {
  createRoleInputSchema,
  listQuerySchema,
  roleAppsInputSchema,
  roleUsersInputSchema,
} from '../../../../shared/src/types/directory.schema.ts';
import type { DirectoryService } from '../../services/directory.service.ts';
import { roleParamsSchema } from '../params.schema.ts';

/** `/api/roles`: a user holding a role that has an app is assigned to it. */
export function createRolesRouter(stores: Stores, directory: DirectoryService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    res.status(201).json(await stores.roles.create(parseInput(createRoleInputSchema, req.body, 'body').name));
  });
  router.get('/', async (req, res) => {
    res.json(await stores.roles.list(parseInput(listQuerySchema, req.query, 'query')));
  });
  router.get('/:roleId', async (req, res) => {
    res.json(await stores.roles.get(parseInput(roleParamsSchema, req.params, 'params').roleId));
  });
  router.put('/:roleId/apps', async (req, res) => {
    const { roleId } = parseInput(roleParamsSchema, req.params, 'params');
    res.json(await directory.setRoleApps(roleId, parseInput(roleAppsInputSchema, req.body, 'body').appIds));
  });
  router.put('/:roleId/users', async (req, res) => {
    const { roleId } = parseInput(roleParamsSchema, req.params, 'params');
    res.json(
      await directory.setRoleUsers(roleId, parseInput(roleUsersInputSchema, req.body, 'body').userIds),
    );
  });
  return router;
}
