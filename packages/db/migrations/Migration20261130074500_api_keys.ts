import { Migration } from "@mikro-orm/migrations";

export class Migration20261130074500_api_keys extends Migration {
  override name = "Migration20261130074500_api_keys";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "api_keys" ("id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "secret_hash" varchar(64) not null, "scopes" text[] not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "api_keys_user_id_index" on "api_keys" ("user_id");`);
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_secret_hash_unique" unique ("secret_hash");`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_scopes_check" check ("scopes" <@ array['chat', 'accounting', 'admin']::text[] and cardinality("scopes") > 0);`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_keys" cascade;`);
  }
}
