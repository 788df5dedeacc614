# One image for every app of the suite; docker-compose.yml picks the entry point per service.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/prisma-schema-engine ./tools/prisma-schema-engine
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production TEMP_DIR=/app/tmp
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/prisma-schema-engine ./tools/prisma-schema-engine
COPY tools/db ./tools/db
# The compiled output already holds the generated Prisma client: no install scripts needed here.
RUN npm ci --omit=dev --omit=optional --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/tmp && chown node:node /app/tmp
USER node
CMD ["node", "dist/apps/gateway/src/main.js"]
