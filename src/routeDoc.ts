import type { z } from 'zod';

/** Who may call a route: a staff token or console session, a distributor token, Lightspeed (signed), anyone. */
export type Caller = 'staff' | 'distributor' | 'lightspeed' | 'public';

export interface RouteDoc {
  summary: string;
  description?: string;
  caller: Caller;
  /** Staff roles allowed, when narrower than any staff person. */
  roles?: string[];
  body?: z.ZodType;
  bodyType?: 'application/json' | 'application/x-www-form-urlencoded';
  query?: z.ZodType;
  /** What a success answers: the contract's schema (src/contract/), the one the console types from. */
  response?: z.ZodType;
  /** Success status and what it returns. */
  ok?: { status: number; description: string; type?: string };
}
