# syntax=docker/dockerfile:1
#
# One image for all six services; the SERVICE env var picks which one runs:
#   docker build -t careservice-calendar .
#   docker run -e SERVICE=availability -e PORT=3103 careservice-calendar
# docker-compose.yml and deploy/ both run this image.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# The services run TypeScript through @swc-node/register, @swc/core and
# typescript, all devDependencies, so a plain `npm ci` (not --omit=dev) is
# what the runtime needs. Copying only the manifests first keeps this layer
# cached until the lockfile changes.
COPY package.json package-lock.json ./
# SCARF_ANALYTICS: a dependency's install script phones home otherwise.
RUN --mount=type=cache,target=/root/.npm \
    SCARF_ANALYTICS=false NX_DAEMON=false \
    npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SWC_NODE_PROJECT=tsconfig.run.json \
    NX_DAEMON=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The whole tree minus what .dockerignore drops: listing folders one by one
# would break the build whenever one is added or still empty.
COPY . .
# Files stay root-owned, so the service user can read but not change its code.
# @swc-node/register keeps its transform cache under os.tmpdir() (/tmp), which
# must stay writable (deploy/ mounts an emptyDir there).
USER node
EXPOSE 3101 3102 3103 3104 3105 50053 50054
# `exec` so node is PID 1's direct replacement and receives SIGTERM itself;
# the graceful shutdown (SHUTDOWN_TIMEOUT_MS) depends on it.
CMD ["/bin/sh", "-c", "exec node -r @swc-node/register \"services/${SERVICE:?set SERVICE to connector, sync, availability, booking, notification or assistant}/src/main.ts\""]
