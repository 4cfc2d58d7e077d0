# Build stage: full install and the SvelteKit build.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx svelte-kit sync && node --import tsx -e "import('./server/build.ts').then(m => m.ensureBuild())"

# Runtime stage: production dependencies, the build and the sources the server runs.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/build ./build
COPY server.ts svelte.config.js ./
COPY server ./server
COPY ingest ./ingest
COPY alerts ./alerts
COPY db ./db
COPY realtime ./realtime
COPY config ./config
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "server.ts"]
