import { z } from 'zod';

/** Staff roles see merchants; a `distributor` token sees only its distributor's claims (/distributor/api). */
export const roleSchema = z.enum(['admin', 'support', 'viewer', 'distributor']);
export type Role = z.infer<typeof roleSchema>;

/** An API token as the service knows it (never the token itself: only its hash is stored). */
export interface TokenRecord {
  id: number;
  name: string;
  role: Role;
  merchantId: string | null;
  distributorId: number | null;
}
