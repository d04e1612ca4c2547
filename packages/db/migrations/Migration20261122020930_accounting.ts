import { Migration } from "@mikro-orm/migrations";

export class Migration20261122020930_accounting extends Migration {
  override name = "Migration20261122020930_accounting";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "usage_records" ("id" uuid not null, "user_id" uuid not null, "service" varchar(100) not null, "operation" varchar(100) not null, "model_id" varchar(200) null, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "credits" bigint not null, "shortfall" bigint not null default '0', "reservation_id" uuid null, "ledger_entry_id" bigint null, "metadata" jsonb null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `create index "usage_records_user_id_created_at_index" on "usage_records" ("user_id", "created_at");`,
    );
    this.addSql(`create index "usage_records_created_at_index" on "usage_records" ("created_at");`);

    this.addSql(
      `create table "reservations" ("id" uuid not null, "user_id" uuid not null, "model_id" varchar(200) not null, "estimated_input_tokens" int not null, "estimated_output_tokens" int not null, "input_price_per1k" int not null, "output_price_per1k" int not null, "held" bigint not null, "status" text not null default 'open', "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "settled_at" timestamptz null, "input_tokens" int null, "output_tokens" int null, "cost" bigint null, "captured" bigint null, "shortfall" bigint null, "balance_after" bigint null, "success" boolean null, "usage_record_id" uuid null, primary key ("id"));`,
    );
    this.addSql(
      `create index "reservations_status_expires_at_index" on "reservations" ("status", "expires_at");`,
    );
    this.addSql(
      `create index "reservations_user_id_created_at_index" on "reservations" ("user_id", "created_at");`,
    );

    this.addSql(
      `create table "model_prices" ("model_id" varchar(200) not null, "display_name" varchar(100) not null, "input_per1k" int not null, "output_per1k" int not null, "enabled" boolean not null default true, "updated_at" timestamptz not null default now(), "updated_by_id" uuid null, primary key ("model_id"));`,
    );

    this.addSql(
      `create table "ledger_entries" ("id" bigserial primary key, "user_id" uuid not null, "type" text not null, "amount" bigint not null, "held_delta" bigint not null default '0', "balance_after" bigint not null, "held_after" bigint not null, "actor_id" uuid null, "grant_id" uuid null, "reservation_id" uuid null, "usage_record_id" uuid null, "notes" varchar(500) null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "ledger_entries_user_id_id_index" on "ledger_entries" ("user_id", "id");`);
    this.addSql(`create index "ledger_entries_reservation_id_index" on "ledger_entries" ("reservation_id");`);

    this.addSql(
      `create table "credit_grants" ("id" uuid not null, "user_id" uuid not null, "amount" bigint not null, "remaining" bigint not null, "expires_at" timestamptz null, "expired" boolean not null default false, "source" text not null, "notes" varchar(500) null, "granted_by_id" uuid null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `create index "credit_grants_user_id_expired_expires_at_index" on "credit_grants" ("user_id", "expired", "expires_at");`,
    );

    this.addSql(
      `create table "credit_accounts" ("user_id" uuid not null, "balance" bigint not null default '0', "held" bigint not null default '0', "next_expiry_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("user_id"));`,
    );

    this.addSql(
      `alter table "usage_records" add constraint "usage_records_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "reservations" add constraint "reservations_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "reservations" add constraint "reservations_status_check" check ("status" in ('open', 'finalized', 'aborted', 'expired'));`,
    );

    this.addSql(
      `alter table "model_prices" add constraint "model_prices_updated_by_id_foreign" foreign key ("updated_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "model_prices" add constraint "model_prices_nonnegative" check (input_per1k >= 0 and output_per1k >= 0);`,
    );

    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_balance_after_nonnegative" check (balance_after >= 0);`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_held_after_nonnegative" check (held_after >= 0);`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_type_check" check ("type" in ('allocate', 'set', 'adjust', 'remove', 'reserve', 'capture', 'release', 'expire', 'refund'));`,
    );

    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_granted_by_id_foreign" foreign key ("granted_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_amount_positive" check (amount > 0);`,
    );
    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_remaining_range" check (remaining >= 0 and remaining <= amount);`,
    );
    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_source_check" check ("source" in ('allocate', 'adjust', 'set', 'refund'));`,
    );

    this.addSql(
      `alter table "credit_accounts" add constraint "credit_accounts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_accounts" add constraint "credit_accounts_balance_nonnegative" check (balance >= 0);`,
    );
    this.addSql(
      `alter table "credit_accounts" add constraint "credit_accounts_held_nonnegative" check (held >= 0);`,
    );

    // Hand-written: the ledger is append-only, enforced by the database itself.
    this.addSql(`create function ledger_entries_append_only() returns trigger language plpgsql as $$
      begin raise exception 'ledger_entries is append-only: % refused', tg_op; end $$;`);
    this.addSql(`create trigger ledger_entries_no_update_or_delete before update or delete on "ledger_entries"
      for each row execute function ledger_entries_append_only();`);
    this.addSql(`create trigger ledger_entries_no_truncate before truncate on "ledger_entries"
      for each statement execute function ledger_entries_append_only();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists ledger_entries_append_only() cascade;`);
    this.addSql(`drop table if exists "usage_records" cascade;`);
    this.addSql(`drop table if exists "reservations" cascade;`);
    this.addSql(`drop table if exists "model_prices" cascade;`);
    this.addSql(`drop table if exists "ledger_entries" cascade;`);
    this.addSql(`drop table if exists "credit_grants" cascade;`);
    this.addSql(`drop table if exists "credit_accounts" cascade;`);
  }
}
