import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The Prisma CLI insists on downloading a native schema engine before `generate`, `validate`
// and `format`, which only use wasm. Machines without access to that download point it at a
// stub; a real engine configured by the operator always wins.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = path.resolve(import.meta.dirname, 'prisma/engine-stub.sh');
  if (existsSync(stub)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
