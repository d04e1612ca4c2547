/**
 * The PostgreSQL server every benchmark makes its scratch databases on (DATABASE_URL, handed to
 * @parley/db/testing as TEST_DATABASE_URL); without one the benchmark says so and exits.
 */
export function useDatabaseServer(purpose = ""): void {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      `Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres)${purpose}.`,
    );
    process.exit(1);
  }
  process.env.TEST_DATABASE_URL = url;
}
