// Importing this loads `.env.local` and `.env` into process.env, for the npm scripts
// (migrate, seed, cleanup, benchmark), which must read the same settings as the app.
// Next loads `.env` files into the app's process; the scripts run outside Next, so
// they load the two that Next reads in development and production alike, from the
// folder they run in (the project's, for npm scripts). As in Next, a variable already
// set in the environment wins over both, and `.env.local` over `.env`. Unlike Next,
// `$VARIABLE` in a value is not expanded. Without this, a DATABASE_URL kept in `.env`
// would reach the app but not `npm run db:migrate`, which would migrate the default
// SQLite file, and the app would meet an empty database.
//
// A script imports it first, before any module that reads the environment as it loads.
import fs from "node:fs";

for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(file)) process.loadEnvFile(file); // never overrides a variable already set
}
