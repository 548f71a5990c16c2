# One image for every Settlescan service: its command picks the role (scripts/container.mjs) — indexer, api, web,
# devnet, anvil. Dependencies are installed once, with the commands CI runs (scripts/run.mjs: pnpm 12.21.0 in .tools,
# then a frozen install); the explorer is built into web/dist. See docs/container.md.
#   docker build -t settlescan . && docker run --rm -p 127.0.0.1:5173:5173 settlescan web
ARG NODE_IMAGE=node:22-bookworm-slim

# Manifests only, so this layer is rebuilt only when a dependency changes.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV CI=true
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY abis/package.json abis/
COPY api/package.json api/
COPY cli/package.json cli/
COPY devnet/package.json devnet/
COPY indexer/package.json indexer/
COPY web/package.json web/
RUN npm install --prefix .tools --no-save pnpm@12.21.0
RUN .tools/node_modules/.bin/pnpm install --frozen-lockfile

FROM deps AS build
COPY . .
RUN .tools/node_modules/.bin/pnpm --filter @settlescan/web build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# The pinned Node 22 (the workspace's `node` package) first, as the root scripts run it; then pnpm.
ENV PATH=/app/node_modules/.bin:/app/.tools/node_modules/.bin:$PATH \
    NODE_ENV=production \
    PONDER_TELEMETRY_DISABLED=true \
    HOST=0.0.0.0 \
    WEB_HOST=0.0.0.0
COPY --from=build --chown=node:node /app /app
# Where the devnet role leaves its profile for the indexer (docker-compose.yml mounts a volume here).
RUN mkdir -p /var/lib/settlescan && chown node:node /var/lib/settlescan
USER node
# indexer 42069, api 4000, web 5173, anvil 8545/8546, the devnet's blob service 31415.
EXPOSE 42069 4000 5173 8545 8546 31415
ENTRYPOINT ["node", "scripts/container.mjs"]
