#!/usr/bin/env node
// Prisma's CLI wants a native schema-engine binary and downloads one unless
// PRISMA_SCHEMA_ENGINE_BINARY names a file. `prisma generate` only checks that the
// file exists; this is that file. Migrations run through prisma/migrate.ts instead.
console.error("The native Prisma schema engine is not used here: run `npm run db:migrate` (see prisma/migrate.ts).");
process.exit(1);
