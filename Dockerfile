# One image for every role: `serve --role edge|calendar|contacts|config` picks what runs.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production LOG_FORMAT=json HOST=0.0.0.0 PORT=8008
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY tsconfig.base.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
USER node
EXPOSE 8008
ENTRYPOINT ["node", "-r", "./tools/register.cjs", "apps/davmesh/src/main.ts"]
CMD ["serve", "--role", "all"]
