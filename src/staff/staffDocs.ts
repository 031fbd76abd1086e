import type { RouteDoc } from '../routeDoc.js';
import { sessionAnswerSchema, staffUserSchema } from '../contract/staff.js';
import { z } from 'zod';
import { loginSchema, passwordChangeSchema } from './sessionRoutes.js';
import { newPasswordSchema, staffUserCreateSchema } from './users.js';

/** Signing in to the console, and its people: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const staffDocs: Record<string, RouteDoc> = {
  'POST /admin/api/session': {
    summary: 'Sign in to the console (server-side session cookie)',
    response: sessionAnswerSchema,
    caller: 'public',
    body: loginSchema,
  },
  'GET /admin/api/session': { summary: 'The signed-in person', response: sessionAnswerSchema, caller: 'staff' },
  'DELETE /admin/api/session': { summary: 'Sign out (ends the session and clears the cookie)', caller: 'staff' },
  'POST /admin/api/session/password': {
    summary: 'Change your own password (console session only)',
    caller: 'staff',
    body: passwordChangeSchema,
    ok: { status: 204, description: 'changed; your other sessions are ended' },
    description: '401 without a session or with a wrong current password; 429 after 5 wrong ones (as sign-in); 400 a new password under 12 characters.',
  },
  'GET /admin/api/staff': { summary: 'Console people', response: z.array(staffUserSchema), caller: 'staff', roles: ['admin'] },
  'POST /admin/api/staff': {
    summary: 'Add a console person',
    response: staffUserSchema,
    caller: 'staff',
    roles: ['admin'],
    body: staffUserCreateSchema,
    ok: { status: 201, description: 'the person' },
  },
  'POST /admin/api/staff/:staffId/disable': { summary: 'Disable a console person', response: staffUserSchema, caller: 'staff', roles: ['admin'] },
  'POST /admin/api/staff/:staffId/reset-password': {
    summary: "Reset a person's password to a temporary one",
    response: staffUserSchema,
    caller: 'staff',
    roles: ['admin'],
    body: z.object({ password: newPasswordSchema }),
    description:
      'Platform admins. Ends every session of the person; at the next sign-in they must choose a new password (403 PASSWORD_CHANGE_REQUIRED on anything else until then).',
  },
};
