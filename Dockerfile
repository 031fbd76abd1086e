# syntax=docker/dockerfile:1
# The service image: built in one stage (dev dependencies, TypeScript, the console's Vite build), run in
# another with production dependencies only, as the unprivileged `node` user.
# NODE_VERSION: the current Node LTS line (26; the suite passes on 26.10.0 and on 20.20.2, the oldest supported: engines).
ARG NODE_VERSION=26

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workers workers
COPY bench bench
COPY scripts scripts
COPY tools tools
COPY console console
COPY migrations migrations
RUN npm run -s build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/migrations migrations
USER node
EXPOSE 3000
# Every process of the image: ROLE=all (default), api or worker. See README "Configuration".
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/src/health/probe.js"]
CMD ["node", "dist/bin/main.js"]
