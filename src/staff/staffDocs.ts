import type { RouteDoc } from '../routeDoc.js';
import { loginSchema } from './sessionRoutes.js';
import { staffUserCreateSchema } from './users.js';

/** Signing in to the console, and its people: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const staffDocs: Record<string, RouteDoc> = {
  'POST /admin/api/session': { summary: 'Sign in to the console (server-side session cookie)', caller: 'public', body: loginSchema },
  'GET /admin/api/session': { summary: 'The signed-in person', caller: 'staff' },
  'DELETE /admin/api/session': { summary: 'Sign out', caller: 'staff' },
  'GET /admin/api/staff': { summary: 'Console people', caller: 'staff', roles: ['admin'] },
  'POST /admin/api/staff': {
    summary: 'Add a console person',
    caller: 'staff',
    roles: ['admin'],
    body: staffUserCreateSchema,
    ok: { status: 201, description: 'the person' },
  },
  'POST /admin/api/staff/:staffId/disable': { summary: 'Disable a console person', caller: 'staff', roles: ['admin'] },
};
