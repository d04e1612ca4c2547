import { Migration } from "@mikro-orm/migrations";

/**
 * Sharing, search and feedback (issue 13): a revocable share id on chats, full-text indexes over
 * titles and message text, and one rating per user per answer.
 */
export class Migration20261201060000_social extends Migration {
  override name = "Migration20261201060000_social";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "chat_sessions" add column "share_id" varchar(64) null, add column "shared_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "chat_sessions" add constraint "chat_sessions_share_id_unique" unique ("share_id");`,
    );

    // Hand-written: full-text search for sessions.search, with the 'simple' configuration (no
    // stemming, no stop words: chats come in every language). Message text gets a stored generated
    // tsvector, so ranking a match reads it instead of re-parsing the message (bench/search.ts);
    // titles are short: an expression index suffices, and queries must use the same expression.
    // Adding the stored column rewrites chat_messages once, during this migration.
    this.addSql(
      `alter table "chat_messages" add column "search_vector" tsvector generated always as (to_tsvector('simple', "content")) stored;`,
    );
    this.addSql(
      `create index "chat_messages_search_vector_index" on "chat_messages" using gin ("search_vector");`,
    );
    this.addSql(
      `create index "chat_sessions_title_search_index" on "chat_sessions" using gin (to_tsvector('simple', "title"));`,
    );

    this.addSql(
      `create table "message_feedback" ("id" uuid not null, "message_id" uuid not null, "user_id" uuid not null, "rating" text check ("rating" in ('up', 'down')) not null, "comment" varchar(1000) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `alter table "message_feedback" add constraint "message_feedback_message_id_user_id_unique" unique ("message_id", "user_id");`,
    );
    this.addSql(`create index "message_feedback_user_id_index" on "message_feedback" ("user_id");`);
    this.addSql(`create index "message_feedback_updated_at_index" on "message_feedback" ("updated_at");`);
    this.addSql(
      `alter table "message_feedback" add constraint "message_feedback_message_id_foreign" foreign key ("message_id") references "chat_messages" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "message_feedback" add constraint "message_feedback_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "message_feedback" cascade;`);
    this.addSql(`alter table "chat_messages" drop column if exists "search_vector";`);
    this.addSql(`drop index if exists "chat_sessions_title_search_index";`);
    this.addSql(`alter table "chat_sessions" drop constraint if exists "chat_sessions_share_id_unique";`);
    this.addSql(`alter table "chat_sessions" drop column "share_id", drop column "shared_at";`);
  }
}
