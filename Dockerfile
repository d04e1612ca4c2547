# syntax=docker/dockerfile:1
# Parley: one image serving the API and the built SPA. Node 24 runs the TypeScript sources
# directly (type stripping), so only the SPA needs a build step.

FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN npm install --global --no-audit --no-fund pnpm@12.21.0
# Manifests first, so the dependency layer is cached until they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .pnpmfile.mjs ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/accounting/package.json packages/accounting/
COPY packages/agent/package.json packages/agent/
COPY packages/api/package.json packages/api/
COPY packages/auth/package.json packages/auth/
COPY packages/client/package.json packages/client/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/validators/package.json packages/validators/
COPY bench/package.json bench/
# The patches pnpm-workspace.yaml applies to dependencies (see patches/README.md).
COPY patches ./patches
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN npm install --global --no-audit --no-fund pnpm@12.21.0
COPY --from=build /app/package.json /app/pnpm-lock.yaml /app/pnpm-workspace.yaml /app/.pnpmfile.mjs ./
COPY --from=build /app/packages ./packages
COPY --from=build /app/apps/server ./apps/server
COPY --from=build /app/apps/web/package.json ./apps/web/package.json
COPY --from=build /app/apps/web/dist ./apps/web/dist
COPY --from=build /app/patches ./patches
# Production dependencies of the server and the workspace packages it uses, nothing else.
RUN pnpm install --prod --frozen-lockfile --filter "@parley/server..." \
    && npm uninstall --global pnpm \
    && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/server/src/main.ts"]
