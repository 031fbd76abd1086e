import { z } from 'zod';
import { isoTime } from './common.js';

/** Sign-in and the People page: GET/POST/DELETE /admin/api/session, GET/POST /admin/api/staff, POST .../staff/:id/disable. */

/** The minimum length of a console password (the People form, `npm run user` and the README say it). */
export const PASSWORD_MIN_LENGTH = 12;

export const staffRoleSchema = z.enum(['admin', 'support', 'viewer', 'distributor']);

export const staffUserCreateSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    password: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(200),
    role: staffRoleSchema,
    merchantId: z.string().min(1).max(64).nullable().default(null),
    /** A distributor's person (role `distributor`) belongs to that distributor only, and to no merchant. */
    distributorId: z.number().int().positive().nullable().default(null),
  })
  .strict()
  .refine((u) => (u.role === 'distributor') === (u.distributorId !== null), {
    path: ['distributorId'],
    message: 'a distributor person needs a distributor, and only they have one',
  })
  .refine((u) => u.role !== 'distributor' || u.merchantId === null, { path: ['merchantId'], message: 'a distributor person belongs to no merchant' });
/** What a caller gives (the scopes default to none). */
export type StaffUserCreate = z.input<typeof staffUserCreateSchema>;

export const sessionUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: staffRoleSchema,
  merchantId: z.string().nullable(),
  /** Set for a distributor's person: they see the distributor portal only. */
  distributorId: z.number().int().nullable().optional(),
  /** An admin reset the password: the person chooses a new one before anything else. */
  mustChangePassword: z.boolean().optional(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;
export const sessionAnswerSchema = z.object({ user: sessionUserSchema });

export const staffUserSchema = sessionUserSchema.extend({ disabledAt: isoTime.nullable(), createdAt: isoTime });
export type StaffUserView = z.infer<typeof staffUserSchema>;
