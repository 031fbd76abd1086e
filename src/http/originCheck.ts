import type { Request } from 'express';
import { AppError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This service's own origin as a browser sees it: PUBLIC_URL when set (behind a proxy), else the request's host. */
export function ownOrigin(req: Request, publicUrl: string | undefined): string {
  return publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${req.get('host') ?? ''}`;
}

/**
 * CSRF: a state-changing request authenticated by a cookie must come from one of our own pages. Browsers
 * send `Origin` on every cross-site POST (and `Referer` where Origin is absent); a request with neither,
 * or with another site's, is refused. Requests authenticated by a bearer header are not at risk (a
 * foreign page cannot set that header) and are not checked.
 */
export function assertSameOrigin(req: Request, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(req.method)) return;
  const expected = ownOrigin(req, publicUrl);
  const origin = req.get('origin');
  let source: string | null = origin && origin !== 'null' ? origin : null;
  if (!source) {
    const referer = req.get('referer');
    try {
      source = referer ? new URL(referer).origin : null;
    } catch {
      source = null;
    }
  }
  if (source !== expected)
    throw new AppError(403, 'CSRF_REFUSED', "cross-site request refused: a cookie-authenticated change must come from this service's own pages");
}
