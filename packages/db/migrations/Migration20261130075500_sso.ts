import { Migration } from "@mikro-orm/migrations";

export class Migration20261130075500_sso extends Migration {
  override name = "Migration20261130075500_sso";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "oidc_login_attempts" ("id" varchar(64) not null, "nonce" varchar(128) not null, "code_verifier" varchar(128) not null, "return_to" varchar(500) not null, "ip_address" varchar(64) null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `create index "oidc_login_attempts_expires_at_index" on "oidc_login_attempts" ("expires_at");`,
    );
    this.addSql(
      `create index "oidc_login_attempts_ip_address_expires_at_index" on "oidc_login_attempts" ("ip_address", "expires_at");`,
    );

    this.addSql(
      `create table "user_identities" ("id" uuid not null, "user_id" uuid not null, "issuer" varchar(500) not null, "subject" varchar(255) not null, "email" varchar(254) null, "created_at" timestamptz not null default now(), "last_login_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "user_identities_user_id_index" on "user_identities" ("user_id");`);
    this.addSql(
      `alter table "user_identities" add constraint "user_identities_issuer_subject_unique" unique ("issuer", "subject");`,
    );
    this.addSql(
      `alter table "user_identities" add constraint "user_identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "oidc_login_attempts" cascade;`);
    this.addSql(`drop table if exists "user_identities" cascade;`);
  }
}
