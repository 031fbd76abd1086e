import { z } from 'zod';

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A store's X-Series domain prefix: it is put into a host name, so letters, digits and inner dashes only. */
export const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Fields that say which Lightspeed account a merchant is and where the service sends its authenticated
 * calls: set by platform admins (or the connect flow), never by a merchant-scoped person.
 */
export const PLATFORM_ONLY_FIELDS = ['domainPrefix', 'accountId', 'apiBaseUrl'] as const;

/** Whether `url` may be a merchant's API base here: anything outside production, an allow-listed origin in it. */
export function apiBaseAllowed(url: string, settings: { NODE_ENV: string; LIGHTSPEED_API_BASE_ALLOWLIST: string[] }): boolean {
  if (settings.NODE_ENV !== 'production') return true;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  return settings.LIGHTSPEED_API_BASE_ALLOWLIST.some((allowed) => {
    try {
      return new URL(allowed).origin === origin;
    } catch {
      return false;
    }
  });
}

const credentialsSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

const fields = {
  name: z.string().min(1).max(200),
  domainPrefix: z.string().regex(DOMAIN_PREFIX, 'letters, digits and inner dashes').optional(),
  accountId: z
    .string()
    .regex(/^\d{1,18}$/, 'digits only')
    .optional(),
  timezone: z.string().refine(isTimeZone, 'not an IANA time zone'),
  webhookSecret: z.string().min(8).optional(),
  /** Manually created webhooks are unsigned; then a secret token in the URL query authenticates them. */
  allowUnsigned: z.boolean().optional(),
  urlToken: z.string().min(16).optional(),
  /**
   * Signed deliveries need the URL token too: it is what binds a delivery to this merchant, since every
   * store of the app signs with the same client secret. Set by the connect flow, which registers the
   * webhook URL with the token; set it by hand only once the registered URL carries `?token=`.
   */
  signedNeedsUrlToken: z.boolean().optional(),
  credentials: credentialsSchema.optional(),
  apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  registers: z.number().int().min(1).max(1000).optional(),
  paused: z.boolean().optional(),
};

export const merchantCreateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lowercase slug (a-z, 0-9, -)'),
    series: z.enum(['x', 'r']),
    ...fields,
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.series === 'x' && !value.domainPrefix) ctx.addIssue({ code: 'custom', path: ['domainPrefix'], message: 'required for an X-Series merchant' });
    if (value.series === 'r' && !value.accountId) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'required for an R-Series merchant' });
    if (value.allowUnsigned && !value.urlToken) ctx.addIssue({ code: 'custom', path: ['urlToken'], message: 'required when allowUnsigned is true' });
    if (value.signedNeedsUrlToken && !value.urlToken)
      ctx.addIssue({ code: 'custom', path: ['urlToken'], message: 'required when signedNeedsUrlToken is true' });
  });

export const merchantPatchSchema = z
  .object({
    ...fields,
    name: fields.name.optional(),
    timezone: fields.timezone.optional(),
    apiBaseUrl: fields.apiBaseUrl.nullable(),
  })
  .partial()
  .strict();

export type MerchantCreate = z.infer<typeof merchantCreateSchema>;
export type MerchantPatch = z.infer<typeof merchantPatchSchema>;

/** A merchant as the service uses it internally (secrets included; never serialize this). */
export interface Merchant {
  id: string;
  name: string;
  series: 'x' | 'r';
  domainPrefix: string | null;
  accountId: string | null;
  timezone: string;
  webhookSecret: string | null;
  allowUnsigned: boolean;
  urlToken: string | null;
  /** sha256 hex of the URL token: what a delivery's `?token=` is matched against. */
  urlTokenHash: string | null;
  /** Signed deliveries must carry the URL token as well (see the schema field). */
  signedNeedsUrlToken: boolean;
  accessToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
  apiBaseUrl: string | null;
  registers: number;
  paused: boolean;
  needsReauth: boolean;
  needsReauthReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the admin API shows: secrets reduced to whether they are set. */
export function publicMerchant(m: Merchant) {
  return {
    id: m.id,
    name: m.name,
    series: m.series,
    domainPrefix: m.domainPrefix,
    accountId: m.accountId,
    timezone: m.timezone,
    webhookSecretSet: m.webhookSecret !== null,
    allowUnsigned: m.allowUnsigned,
    urlTokenSet: m.urlToken !== null,
    signedNeedsUrlToken: m.signedNeedsUrlToken,
    credentials: {
      accessTokenSet: m.accessToken !== null,
      refreshTokenSet: m.refreshToken !== null,
      expiresAt: m.tokenExpiresAt?.toISOString() ?? null,
    },
    apiBaseUrl: m.apiBaseUrl,
    registers: m.registers,
    paused: m.paused,
    needsReauth: m.needsReauth,
    needsReauthReason: m.needsReauthReason,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
