import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from './document.js';

// swagger-ui-dist's files, served from this service (no CDN): the page works offline and under a strict CSP.
const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Loyalty worker API</title><link rel="stylesheet" href="docs/assets/swagger-ui.css"></head>
<body><div id="api"></div><script src="docs/assets/swagger-ui-bundle.js"></script><script src="docs/init.js"></script></body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#api', deepLinking: true });`;

/** `/admin/api/openapi.json` and its rendered reference at `/admin/api/docs` (public: the description holds no secret). */
export function openApiRoutes(): Router {
  const router = Router();
  const document = openApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send(init);
  });
  router.use('/docs/assets', express.static(swaggerDir, { index: false, fallthrough: false }));
  return router;
}
