import { Migration } from "@mikro-orm/migrations";

export class Migration20261122022920_chat extends Migration {
  override name = "Migration20261122022920_chat";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "chat_sessions" ("id" uuid not null, "user_id" uuid not null, "title" varchar(200) not null, "model_id" varchar(300) not null, "created_at" timestamptz not null default now(), "last_activity_at" timestamptz not null default now(), "deleted_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "chat_sessions_user_id_last_activity_at_index" on "chat_sessions" ("user_id", "last_activity_at");`,
    );
    this.addSql(
      `create table "chat_messages" ("id" uuid not null, "session_id" uuid not null, "role" text not null, "content" text not null, "status" text not null default 'complete', "model_id" varchar(300) null, "tool_calls" jsonb null, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "credits" bigint not null default '0', "reservation_id" uuid null, "error" varchar(1000) null, "created_at" timestamptz(6) not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `create index "chat_messages_session_id_created_at_index" on "chat_messages" ("session_id", "created_at");`,
    );
    this.addSql(
      `alter table "chat_sessions" add constraint "chat_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "chat_messages" add constraint "chat_messages_session_id_foreign" foreign key ("session_id") references "chat_sessions" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "chat_messages" add constraint "chat_messages_role_check" check ("role" in ('user', 'assistant'));`,
    );
    this.addSql(
      `alter table "chat_messages" add constraint "chat_messages_status_check" check ("status" in ('complete', 'incomplete', 'failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "chat_messages" cascade;`);
    this.addSql(`drop table if exists "chat_sessions" cascade;`);
  }
}
