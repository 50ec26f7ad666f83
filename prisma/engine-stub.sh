#!/bin/sh
# Stand-in for Prisma's native schema engine: generate/validate/format never run it.
# Commands that really need it (migrate, db push) are served by apps/server/src/db/migrate.ts.
echo "plumbline: the native Prisma schema engine is not installed; use 'pnpm db:migration:new' and the built-in migrator" >&2
exit 1
