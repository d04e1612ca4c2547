import { MikroORM } from "@mikro-orm/postgresql";
import { databaseConfig } from "./orm.ts";

export interface EntityTable {
  entity: string;
  table: string;
  /** Every column the entity maps, in declaration order (relations as their foreign-key columns). */
  columns: { property: string; column: string }[];
}

/**
 * The tables and columns of every entity, read from MikroORM's discovered metadata without
 * connecting to a database (the documentation check uses it).
 */
export async function describeEntities(): Promise<EntityTable[]> {
  // The URL is never dialled: MikroORM connects lazily, and this instance only discovers.
  const orm = new MikroORM(databaseConfig({ url: "postgres://metadata@127.0.0.1:1/metadata" }));
  try {
    return [...orm.getMetadata().getAll().values()].map((meta) => ({
      entity: meta.className,
      table: meta.tableName,
      columns: Object.values(meta.properties).flatMap((property) =>
        (property.fieldNames ?? []).map((column) => ({ property: property.name, column })),
      ),
    }));
  } finally {
    await orm.close();
  }
}
