import { z } from 'zod';

const name = z.string().trim().min(1).max(200);
const optionalText = z.string().trim().max(500).nullable().optional();

export const userStatusSchema = z.enum(['active', 'suspended']);

export const userSchema = z.object({
  id: z.string(),
  firstname: z.string(),
  lastname: z.string(),
  email: z.string(),
  username: z.string(),
  department: z.string().nullable(),
  title: z.string().nullable(),
  custom: z.record(z.string(), z.string()),
  status: userStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const createUserInputSchema = z.strictObject({
  firstname: name,
  lastname: name,
  email: z.email().max(320),
  username: z.string().trim().min(1).max(320).optional(),
  department: optionalText,
  title: optionalText,
  custom: z.record(z.string().min(1).max(100), z.string().max(1000)).optional(),
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const patchUserInputSchema = createUserInputSchema.partial();
export type PatchUserInput = z.infer<typeof patchUserInputSchema>;

export const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  appIds: z.array(z.string()),
  userIds: z.array(z.string()),
  createdAt: z.string(),
});
export type Role = z.infer<typeof roleSchema>;

export const createRoleInputSchema = z.strictObject({ name: name });
export const roleAppsInputSchema = z.strictObject({ appIds: z.array(z.string().min(1)).max(1000) });
export const roleUsersInputSchema = z.strictObject({ userIds: z.array(z.string().min(1)).max(100_000) });

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
});
export const userListQuerySchema = listQuerySchema.extend({ query: z.string().max(200).optional() });

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
