import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppContext } from '../context.js';
import { redactUrl, serializeError, type Logger } from '../logger.js';
import { DomainError, type DomainErrorKind } from '../domainError.js';
import { AppError } from './errors.js';
import { requestId } from './requestId.js';
import { securityHeaders } from './securityHeaders.js';

/** A hot route: its handler on Node's own request and answer, and the routes it serves. */
export interface HotHandler {
  /** "METHOD /path" under the mount path, as Express would list them (the route table's tests read them). */
  routes: string[];
  /**
   * `rest` is the URL after the mount path and its slash (query included). It answers the requests it takes
   * and returns true; false hands the request to Express (a method it does not serve, say: the general 404).
   */
  serve: (req: IncomingMessage, res: ServerResponse, rest: string) => boolean;
}

/**
 * One line of the route table: handlers (routers or middleware) mounted in order, under `path` if given;
 * or a hot route (the X webhook, at thousands a second), served before Express ever sees the request: no
 * router walk, no request and answer prototypes, no security headers, no general request log (it logs its
 * own requests: src/http/hotRequestLog.ts) and no body parser. It answers its errors with `sendError`, the
 * same answer and log line as `errorHandler`. It halved the API's CPU per webhook (issue 29, README Performance).
 */
export type Mount = { path?: string | string[]; handlers: RequestHandler[]; hot?: undefined } | { path: string; hot: HotHandler; handlers?: undefined };

/**
 * Builds the HTTP app without listening, so tests drive it with supertest. What is mounted is the route
 * table's to say (src/routes.ts): this file knows logging, the 404 and error mapping, and no feature.
 */
export function createApp(ctx: AppContext, table: Mount[]): Express {
  const app = express();
  app.disable('x-powered-by');
  // Which proxies' X-Forwarded-For to believe: the address that rate limits and logs use.
  app.set('trust proxy', ctx.config.TRUST_PROXY === 'true' ? true : ctx.config.TRUST_PROXY);
  const hot = table.flatMap((m) => (m.hot ? [{ path: m.path, handler: m.hot }] : []));
  serveHotRoutesFirst(
    app,
    hot.map(({ path, handler }) => ({ prefix: `${path.toLowerCase()}/`, serve: handler.serve })),
  );
  // What the route table's tests list besides Express's routers (the authorization matrix, the OpenAPI coverage).
  app.locals.hotRoutes = hot.flatMap(({ path, handler }) => handler.routes.map((r) => r.replace(' ', ` ${path}`)));

  app.use(securityHeaders());

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: requestId,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // What a person reading the log needs, not every header (cheaper, and no secrets to redact). Not
      // wrapped by pino-std-serializers: that copy of each request (headers, query, socket) per request
      // was thrown away by the serializer below, a share of every webhook's CPU.
      wrapSerializers: false,
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string; originalUrl?: string }) => {
          // Express rewrites req.url inside a mounted router; originalUrl is what was asked for.
          const url = req.originalUrl ?? req.url;
          return { id: req.id, method: req.method, url: url === undefined ? undefined : redactUrl(url) };
        },
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // The request line names the failure, without a stack (as when pino-std-serializers wrapped it):
        // an outage would otherwise fill the log with one stack per request.
        err: (error: unknown) => serializeError(error instanceof Error ? { type: error.name, message: error.message } : error),
      },
      // Routes add their facts (merchant, sale, event ids) to the one line logged per request.
      customSuccessObject: (_req, res, value) => ({ ...value, ...((res as unknown as { locals?: { log?: object } }).locals?.log ?? {}) }),
      // A failing /readyz is the probe doing its job (the reasons are in the answer), and a 503 is a dependency
      // away (DATABASE_UNAVAILABLE, STORAGE_UNAVAILABLE), not a bug: warn, not error.
      customLogLevel: (req, res, error) =>
        req.url === '/readyz'
          ? res.statusCode >= 500
            ? 'warn'
            : 'info'
          : res.statusCode === 503
            ? 'warn'
            : error || res.statusCode >= 500
              ? 'error'
              : res.statusCode >= 400
                ? 'warn'
                : 'info',
    }),
  );

  for (const m of table) {
    if (!m.handlers) continue;
    if (m.path === undefined) app.use(...m.handlers);
    else app.use(m.path, ...m.handlers);
  }

  app.use((req, _res, next) => next(new AppError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

/**
 * Hot routes take their requests before `app.handle` (what the app function, `app.listen`'s server and
 * supertest all call): the path prefix is compared as Express would (case-insensitively), without parsing.
 */
function serveHotRoutesFirst(app: Express, routes: Array<{ prefix: string; serve: HotHandler['serve'] }>): void {
  if (routes.length === 0) return;
  // `handle` is Express 5's own entry (lib/application.js), not in its types.
  const inner = app as Express & { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
  const handle = inner.handle.bind(app);
  inner.handle = (req, res, next) => {
    const url = req.url ?? '';
    for (const { prefix, serve } of routes) {
      if (url.length > prefix.length && url.slice(0, prefix.length).toLowerCase() === prefix && serve(req, res, url.slice(prefix.length))) return;
    }
    handle(req, res, next);
  };
}

/** The HTTP status of each kind of domain error: the only place that decides it. */
const DOMAIN_STATUS: Record<DomainErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, unprocessable: 422, forbidden: 403, upstream: 502 };

export const fromDomain = (error: DomainError) => new AppError(DOMAIN_STATUS[error.kind], error.code, error.message, error.details);

/** An error's answer (status, headers, body), logged once through the request's logger. */
function errorAnswer(error: unknown, log: Pick<Logger, 'warn' | 'error'> | undefined): { status: number; retryAfter?: string; body: object } {
  const known = error instanceof AppError ? error : error instanceof DomainError ? fromDomain(error) : (fromBodyParser(error) ?? fromDatabase(error));
  if (!known) {
    log?.error({ err: error }, 'unhandled error');
    return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
  }
  // A dependency being away (503) is logged once per request at warn, without a stack: it is not a bug.
  if (known.status === 503) log?.warn({ code: known.code }, known.message);
  else if (known.status >= 500) log?.error({ err: error }, known.message);
  else log?.warn({ code: known.code }, known.message);
  const retryAfter = (known.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return {
    status: known.status,
    ...(known.status === 429 && typeof retryAfter === 'number' ? { retryAfter: String(retryAfter) } : {}),
    body: { error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } },
  };
}

/** The one place where errors become HTTP answers. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const answer = errorAnswer(error, req.log);
  if (answer.retryAfter !== undefined) res.setHeader('Retry-After', answer.retryAfter);
  res.status(answer.status).json(answer.body);
};

/** `errorHandler`'s answer for a hot route, on Node's own answer (nothing is written if one was). */
export function sendError(res: ServerResponse, log: Pick<Logger, 'warn' | 'error'>, error: unknown): void {
  const answer = errorAnswer(error, log);
  if (res.headersSent) return;
  if (answer.retryAfter !== undefined) res.setHeader('Retry-After', answer.retryAfter);
  sendJson(res, answer.status, JSON.stringify(answer.body));
}

/** A JSON answer written directly: res.json's content negotiation and ETag serve no webhook sender. */
export function sendJson(res: ServerResponse, status: number, json: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.end(json);
}

/**
 * PostgreSQL's answers to what a client sent, and its absence, as stable codes: the driver's text (table,
 * constraint and column names) never reaches an answer.
 */
export function fromDatabase(error: unknown): AppError | null {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === '23505') return new AppError(409, 'CONFLICT', 'a record with the same identity already exists');
  if (/^22/.test(code)) return new AppError(400, 'INVALID_VALUE', 'a value is out of range or malformed');
  if (
    /^(08|53|57P)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(String(e?.message ?? ''))
  ) {
    return new AppError(503, 'DATABASE_UNAVAILABLE', 'PostgreSQL is unavailable; retry later');
  }
  return null;
}

/** body-parser errors carry `type` and `status`; map them to stable codes. */
function fromBodyParser(error: unknown): AppError | null {
  const e = error as { type?: string; status?: number; message?: string };
  switch (e?.type) {
    case 'entity.too.large':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'request body is too large');
    case 'entity.parse.failed':
      return new AppError(400, 'MALFORMED_BODY', `body is not valid: ${e.message ?? 'parse error'}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'UNSUPPORTED_ENCODING', e.message ?? 'unsupported encoding');
    case 'request.aborted':
      return new AppError(400, 'REQUEST_ABORTED', 'request aborted');
    default:
      return typeof e?.status === 'number' && e.status >= 400 && e.status < 500
        ? new AppError(e.status, 'INVALID_REQUEST', e.message ?? 'invalid request')
        : null;
  }
}
