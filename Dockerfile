# Boardroom: one image for the API, the worker and the CLI.
#   API (default):  node dist/apps/api/src/main.js
#   worker:         node dist/apps/worker/src/main.js
#   CLI:            node dist/apps/cli/src/main.js <command>   (e.g. migrate)
# Configured only through environment variables (see .env.example); no .env is
# copied into the image.
#
# Debian (glibc) rather than Alpine: native packages such as @swc/core and sharp
# ship prebuilt glibc binaries, and the lockfile is resolved for them.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---- build: all dependencies, compile TypeScript with SWC into dist/ ----------
FROM base AS build
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# ---- runtime: production dependencies and the compiled output only -----------
FROM base AS runtime
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
# Code stays owned by root (read-only for the app). The only folder the app may
# write is /app/data (DATA_DIR's default, ./data from WORKDIR): the embedded
# database, local storage and generated secrets, none of which a deployment with
# DATABASE_URL, S3_BUCKET and FINGERPRINT_SECRET uses. Mount a volume there otherwise.
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
# The unprivileged user of the official Node image (uid 1000).
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/src/main.js"]
