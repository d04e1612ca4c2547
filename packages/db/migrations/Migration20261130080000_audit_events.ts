import { Migration } from "@mikro-orm/migrations";

export class Migration20261130080000_audit_events extends Migration {
  override name = "Migration20261130080000_audit_events";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_events" ("id" uuid not null, "actor_id" uuid not null, "actor_role" text check ("actor_role" in ('user', 'supervisor', 'admin')) not null, "action" text check ("action" in ('user.create', 'user.role', 'user.active', 'user.passwordReset', 'credits.allocate', 'credits.set', 'credits.remove', 'credits.adjust', 'price.update', 'apikey.revoke', 'invitation.create', 'invitation.revoke')) not null, "target_type" text check ("target_type" in ('user', 'model', 'apikey', 'invitation')) not null, "target_id" varchar(200) not null, "before" jsonb null, "after" jsonb null, "request_id" varchar(64) null, "ip_address" varchar(64) null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "audit_events_actor_id_index" on "audit_events" ("actor_id");`);
    this.addSql(`create index "audit_events_action_index" on "audit_events" ("action");`);
    this.addSql(`create index "audit_events_target_id_index" on "audit_events" ("target_id");`);
    this.addSql(`create index "audit_events_created_at_index" on "audit_events" ("created_at");`);

    // Hand-written: the audit trail is append-only, enforced by the database itself (like the ledger).
    this.addSql(`create function audit_events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_events is append-only: % refused', tg_op; end $$;`);
    this.addSql(`create trigger audit_events_no_update_or_delete before update or delete on "audit_events"
      for each row execute function audit_events_append_only();`);
    this.addSql(`create trigger audit_events_no_truncate before truncate on "audit_events"
      for each statement execute function audit_events_append_only();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop function if exists audit_events_append_only() cascade;`);
  }
}
