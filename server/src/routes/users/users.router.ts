import { Router } from 'express';
import { appUserView } from '../../../../shared/src/store/app-users.store.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import {
  createUserInputSchema,
  patchUserInputSchema,
  userListQuerySchema,
} from '../../../../shared/src/types/directory.schema.ts';
import { parseInput } from '../../http/validate.ts';
import type { DirectoryService } from '../../services/directory.service.ts';
import { userParamsSchema } from '../params.schema.ts';

/** `/api/users`: the directory. */
export function createUsersRouter(stores: Stores, directory: DirectoryService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    res.status(201).json(await directory.createUser(parseInput(createUserInputSchema, req.body, 'body')));
  });
  router.get('/', async (req, res) => {
    res.json(await stores.users.list(parseInput(userListQuerySchema, req.query, 'query')));
  });
  router.get('/:userId', async (req, res) => {
    res.json(await stores.users.get(parseInput(userParamsSchema, req.params, 'params').userId));
  });
  // Every app that holds a record of the user (assigned, or once assigned), so a client asks no app about
  // someone it never had and meets no 404.
  router.get('/:userId/apps', async (req, res) => {
    const { userId } = parseInput(userParamsSchema, req.params, 'params');
    await stores.users.get(userId);
    const appIds = await stores.apps.ids();
    const records = await Promise.all(appIds.map((appId) => stores.appUsers.find(appId, userId)));
    res.json({
      items: records.flatMap((record, i) =>
        record ? [{ appId: appIds[i] as string, ...appUserView(record) }] : [],
      ),
    });
  });
  router.patch('/:userId', async (req, res) => {
    const { userId } = parseInput(userParamsSchema, req.params, 'params');
    res.json(await directory.updateUser(userId, parseInput(patchUserInputSchema, req.body ?? {}, 'body')));
  });
  router.post('/:userId/suspend', async (req, res) => {
    res.json(
      await directory.setStatus(parseInput(userParamsSchema, req.params, 'params').userId, 'suspended'),
    );
  });
  router.post('/:userId/reactivate', async (req, res) => {
    res.json(await directory.setStatus(parseInput(userParamsSchema, req.params, 'params').userId, 'active'));
  });
  router.delete('/:userId', async (req, res) => {
    await directory.deleteUser(parseInput(userParamsSchema, req.params, 'params').userId);
    res.status(204).end();
  });
  return router;
}
