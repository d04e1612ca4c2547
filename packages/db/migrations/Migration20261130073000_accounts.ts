import { Migration } from "@mikro-orm/migrations";

/**
 * Accounts an operator controls: invitations and password-reset links (tokens stored as SHA-256
 * hashes), and demo credits as grants of their own source, so they can be removed when the server
 * starts outside demo mode.
 */
export class Migration20261130073000_accounts extends Migration {
  override name = "Migration20261130073000_accounts";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "password_resets" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "password_resets_user_id_index" on "password_resets" ("user_id");`);
    this.addSql(
      `alter table "password_resets" add constraint "password_resets_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "invitations" ("id" uuid not null, "token_hash" varchar(64) not null, "email" varchar(254) null, "role" text not null default 'user', "expires_at" timestamptz not null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "used_at" timestamptz null, "used_by_id" uuid null, "revoked_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(`alter table "credit_grants" drop constraint "credit_grants_source_check";`);
    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_source_check" check ("source" in ('allocate', 'adjust', 'set', 'refund', 'demo'));`,
    );

    this.addSql(
      `alter table "password_resets" add constraint "password_resets_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "password_resets" add constraint "password_resets_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "invitations" add constraint "invitations_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_used_by_id_foreign" foreign key ("used_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_role_check" check ("role" in ('user', 'supervisor', 'admin'));`,
    );

    // Demo mode's welcome credits: an expiring grant of source 'demo', entered as an 'allocate' by
    // the system (no actor).
    this.addSql(`create function parley_grant_demo(p_user uuid, p_amount bigint, p_days int, p_notes text)
      returns credit_accounts language plpgsql as $$
      declare
        v_account credit_accounts := parley_lock_account(p_user);
        v_grant uuid := gen_random_uuid();
        v_expires timestamptz := now() + make_interval(days => p_days);
      begin
        insert into credit_grants (id, user_id, amount, remaining, expires_at, source, notes, granted_by_id)
        values (v_grant, p_user, p_amount, p_amount, v_expires, 'demo', p_notes, null);
        update credit_accounts set next_expiry_at = least(coalesce(next_expiry_at, v_expires), v_expires)
         where user_id = p_user;
        perform parley_append_entry(p_user, 'allocate', p_amount, 0, null, v_grant, null, null, p_notes);
        select * into v_account from credit_accounts where user_id = p_user;
        return v_account;
      end $$;`);

    // Outside demo mode every live demo grant of the account expires at once: its remainder leaves
    // through an 'expire' entry (actor: the system). Returns the credits removed.
    this.addSql(`create function parley_expire_demo_grants(p_user uuid, p_notes text)
      returns bigint language plpgsql as $$
      declare
        g record;
        v_total bigint := 0;
      begin
        perform parley_lock_account(p_user);
        for g in
          update credit_grants c set expired = true, remaining = 0
            from (select id, remaining from credit_grants
                   where user_id = p_user and source = 'demo' and not expired) old
           where c.id = old.id
          returning c.id, old.remaining
        loop
          if g.remaining > 0 then
            perform parley_append_entry(p_user, 'expire', -g.remaining, 0, null, g.id, null, null, p_notes);
            v_total := v_total + g.remaining;
          end if;
        end loop;
        update credit_accounts
           set next_expiry_at = (select min(expires_at) from credit_grants where user_id = p_user and not expired)
         where user_id = p_user;
        return v_total;
      end $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists parley_expire_demo_grants cascade;`);
    this.addSql(`drop function if exists parley_grant_demo cascade;`);
    this.addSql(`drop table if exists "password_resets" cascade;`);
    this.addSql(`drop table if exists "invitations" cascade;`);
    this.addSql(`alter table "credit_grants" drop constraint "credit_grants_source_check";`);
    this.addSql(
      `alter table "credit_grants" add constraint "credit_grants_source_check" check ("source" in ('allocate', 'adjust', 'set', 'refund'));`,
    );
  }
}
