import { z } from 'zod';

const id = z.string().min(1).max(100);
export const userParamsSchema = z.object({ userId: id });
export const roleParamsSchema = z.object({ roleId: id });
export const appParamsSchema = z.object({ appId: id });
export const appUserParamsSchema = z.object({ appId: id, userId: id });
export const taskParamsSchema = z.object({ appId: id, taskId: id });
