# One image for every role: `serve --role edge|calendar|contacts|config` picks what runs,
# `migrate` applies the schema (the chart's pre-install/pre-upgrade Job).
# Node 26 is the Active LTS (since 2026-10-28); the code also runs on Node 20 and 24 (README).

# Build stage: every dependency, then `npm run build` compiles the entry's import graph to dist/.
FROM node:26-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# Runtime stage: production dependencies and compiled JavaScript only; no compiler, no transform
# cache, nothing written at run time (the root file system can be read-only, /tmp unmounted).
FROM node:26-slim
WORKDIR /app
ENV NODE_ENV=production LOG_FORMAT=json HOST=0.0.0.0 PORT=8008
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
# uid 1000 is the image's `node` user.
USER 1000:1000
EXPOSE 8008
ENTRYPOINT ["node", "/app/dist/apps/davmesh/src/main.js"]
CMD ["serve", "--role", "all"]
