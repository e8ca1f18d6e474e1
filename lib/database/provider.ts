export type DatabaseProvider = "sqlite" | "postgresql";

/** Which database a DATABASE_URL names: SQLite files, or a PostgreSQL server. */
export function providerOf(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)");
}
