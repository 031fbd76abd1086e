export type RouterLike = { listRoutes(): Array<{ path: string | RegExp; methods?: string[]; router?: RouterLike }> };

/** Every mounted route as "METHOD /path", walking nested routers (router 2.x's listRoutes). */
export function mountedRoutes(root: RouterLike, prefix = ''): string[] {
  return root.listRoutes().flatMap((r) => {
    const path = `${prefix}${r.path === '/' ? '' : String(r.path)}`.replace(/\/+/g, '/') || '/';
    if (r.router) return mountedRoutes(r.router, path);
    return (r.methods ?? []).filter((m) => m !== 'HEAD').map((m) => `${m} ${path}`);
  });
}

/** Every route an app of `createApp` answers: its routers' and its hot routes' (served before Express). */
export function appRoutes(app: unknown): string[] {
  const a = app as { router: RouterLike; locals: { hotRoutes?: string[] } };
  return [...(a.locals.hotRoutes ?? []), ...mountedRoutes(a.router)];
}
