import { Migration } from "@mikro-orm/migrations";

export class Migration20261122015317_initial extends Migration {
  override name = "Migration20261122015317_initial";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "login_failures" ("id" bigserial primary key, "key" varchar(300) not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(
      `create index "login_failures_key_created_at_index" on "login_failures" ("key", "created_at");`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "email" varchar(254) not null, "username" varchar(32) not null, "display_name" varchar(80) not null, "password_hash" text not null, "role" text not null default 'user', "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "last_login_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);

    this.addSql(
      `create table "auth_sessions" ("id" varchar(64) not null, "user_id" uuid not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "user_agent" varchar(300) null, "ip_address" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "auth_sessions_user_id_index" on "auth_sessions" ("user_id");`);

    this.addSql(
      `alter table "users" add constraint "users_role_check" check ("role" in ('user', 'supervisor', 'admin'));`,
    );

    this.addSql(
      `alter table "auth_sessions" add constraint "auth_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "auth_sessions" drop constraint "auth_sessions_user_id_foreign";`);

    this.addSql(`drop table if exists "login_failures" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "auth_sessions" cascade;`);
  }
}
