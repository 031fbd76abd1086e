import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Browser hardening on every answer (helmet): a Content-Security-Policy that runs only the service's own
 * script files (no inline script, nothing from another origin: the console, bull-board and the API docs
 * serve their assets themselves), no framing (`frame-ancestors 'none'` and `X-Frame-Options: DENY`: a page
 * elsewhere cannot frame the signed-in Rules page and its Save button), `nosniff`, and no referrer.
 * Inline style stays allowed: bull-board's page and React set style attributes, and a style cannot run code.
 */
const directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const strict = helmet({
  contentSecurityPolicy: { useDefaults: false, directives },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // Served over plain HTTP in development and behind a TLS proxy in production: HSTS is the proxy's call.
  strictTransportSecurity: false,
});

// The R-Series POS button's page is opened by Lightspeed's POS, which may show it in a frame of its own.
const { 'frame-ancestors': _framing, ...posDirectives } = directives;
const pos = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: posDirectives },
  frameguard: false,
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
});

export function securityHeaders(): RequestHandler {
  return (req, res, next) => (req.path.startsWith('/pos/') ? pos : strict)(req, res, next);
}
