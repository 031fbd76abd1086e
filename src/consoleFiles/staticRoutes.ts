import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const here = path.dirname(fileURLToPath(import.meta.url));
// Works from src/console (vitest) and dist/src/console (built): the console is built to dist/console.
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');
export const consoleDir = path.join(root, 'dist', 'console');

/**
 * The console's files at /console, and its index page for any of its own URLs (the page routes itself).
 * Hashed assets are cached for good; the index page never is, so a deploy is picked up at once.
 */
export function consoleStaticRoutes(dir = consoleDir): Router {
  const router = Router();
  const index = path.join(dir, 'index.html');
  // The service's root is the console (a person typing the host name lands on something, not a JSON 404).
  router.get('/', (_req, res) => res.redirect(302, '/console/'));
  router.use('/console', express.static(dir, { index: false, maxAge: '365d', immutable: true }));
  router.get(['/console', '/console/{*rest}'], (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The console is not built: run `npm run build`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(index);
  });
  return router;
}
