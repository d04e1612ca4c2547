import { Migration } from "@mikro-orm/migrations";

/**
 * Instructions and parameters per chat, and presets.
 *
 * - chat_sessions gains the chat's system prompt (added after the server's own), temperature and
 *   maximum answer length (null: the defaults).
 * - chat_presets: settings a user saves and reuses; an admin may publish one to everyone.
 * - parley_start_turn (same signature) returns the chat's settings with the history, so they reach
 *   the model without another round trip, sizes the hold by the smaller maximum answer length and
 *   counts the chat's system prompt; and it copies the model's cache prices onto the reservation
 *   (prompt caching). Changes to it are marked "chat settings:" and "prompt caching:".
 */
export class Migration20261201031000_chat_settings extends Migration {
  override name = "Migration20261201031000_chat_settings";

  override up(): void | Promise<void> {
    this.addSql(`alter table chat_sessions add column system_prompt text null, add column temperature real null,
      add column max_tokens int null;`);
    this.addSql(`create table chat_presets (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      name varchar(100) not null,
      system_prompt text not null default '',
      temperature real null,
      max_tokens int null,
      model_id varchar(300) null,
      published boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now());`);
    this.addSql(`create index chat_presets_user on chat_presets (user_id, name);`);
    this.addSql(`create index chat_presets_published on chat_presets (name) where published;`);

    this.addSql(`create or replace function parley_start_turn(
        p_turn uuid, p_user uuid, p_session uuid, p_content text, p_model text, p_client_request uuid,
        p_owner text, p_max_running int, p_fixed_tokens int, p_history_budget int, p_output int,
        p_ttl_seconds int, p_default_title text, p_title text)
      returns jsonb language plpgsql as $$
      declare
        v_existing chat_turns;
        v_session chat_sessions;
        v_message uuid;
        v_history jsonb := '[]';
        v_history_tokens int := 0;
        v_reservation reservations;
        -- chat settings: the chat's system prompt's tokens (the same estimate as estimateTokens()).
        v_system_tokens int := 0;
        v_output int := p_output;
      begin
        -- One start at a time per user: the idempotency and concurrency checks see every turn.
        perform pg_advisory_xact_lock(hashtextextended('parley_turn:' || p_user::text, 0));
        if p_client_request is not null then
          select * into v_existing from chat_turns where user_id = p_user and client_request_id = p_client_request;
          if found then
            return jsonb_build_object('turnId', v_existing.id, 'userMessageId', v_existing.user_message_id,
                                      'existing', true);
          end if;
        end if;
        if (select count(*) from chat_turns where user_id = p_user and status = 'running') >= p_max_running then
          raise exception 'You already have % answers being written. Wait for one to finish.', p_max_running
            using errcode = 'PL429', detail = json_build_object('limit', p_max_running, 'retryAfterSeconds', 5)::text;
        end if;
        if p_session is not null then
          select * into v_session from chat_sessions
           where id = p_session and user_id = p_user and deleted_at is null for update;
          if not found then
            raise exception 'Chat session not found.' using errcode = 'PL404';
          end if;
          if exists (select 1 from chat_turns where session_id = p_session and status = 'running') then
            raise exception 'An answer is already being written in this chat.' using errcode = 'PL409';
          end if;
          -- chat settings: the chat's prompt takes room from the history; its answer length caps the hold.
          if coalesce(v_session.system_prompt, '') <> '' then
            v_system_tokens := ceil(length(v_session.system_prompt) / 4.0)::int + 4;
          end if;
          v_output := least(p_output, coalesce(v_session.max_tokens, p_output));
          -- The newest history that fits the budget (about four characters a token).
          select coalesce(jsonb_agg(jsonb_build_object('role', role, 'content', content) order by created_at, id), '[]'),
                 coalesce(sum(tokens), 0)
            into v_history, v_history_tokens
            from (select role, content, created_at, id, ceil(length(content) / 4.0)::int + 4 as tokens,
                         sum(ceil(length(content) / 4.0)::int + 4) over (order by created_at desc, id desc) as running
                    from chat_messages where session_id = p_session and content <> '') m
           where running <= p_history_budget - v_system_tokens + p_output - v_output;
          insert into chat_messages (id, session_id, role, content, status, created_at)
          values (gen_random_uuid(), p_session, 'user', p_content, 'complete', clock_timestamp())
          returning id into v_message;
          update chat_sessions
             set model_id = p_model, last_activity_at = now(),
                 title = case when title = p_default_title and v_history = '[]'::jsonb then p_title else title end
           where id = p_session
          returning * into v_session;
        end if;
        insert into chat_turns (id, user_id, session_id, user_message_id, client_request_id, model_id, owner,
                                prompt_estimate)
        values (p_turn, p_user, p_session, v_message, p_client_request, p_model, p_owner,
                p_fixed_tokens + v_system_tokens + v_history_tokens);
        v_reservation := parley_reserve(p_user, p_turn, p_model, p_fixed_tokens + v_system_tokens + v_history_tokens,
                                        v_output, p_ttl_seconds, 'chat');
        -- prompt caching: the reservation keeps the cache prices of the moment, as it keeps the others.
        update reservations r
           set cache_read_price_per1m = m.cache_read_per1m, cache_write_price_per1m = m.cache_write_per1m
          from model_prices m
         where r.id = p_turn and m.model_id = p_model
        returning r.* into v_reservation;
        return jsonb_build_object('turnId', p_turn, 'userMessageId', v_message, 'existing', false,
                                  'history', v_history, 'held', v_reservation.held,
                                  'price', jsonb_build_object('inputPer1k', v_reservation.input_price_per1k,
                                                              'outputPer1k', v_reservation.output_price_per1k,
                                                              'cacheReadPer1m', v_reservation.cache_read_price_per1m,
                                                              'cacheWritePer1m', v_reservation.cache_write_price_per1m),
                                  'promptEstimate', p_fixed_tokens + v_system_tokens + v_history_tokens,
                                  'title', v_session.title,
                                  -- chat settings
                                  'settings', jsonb_build_object('systemPrompt', v_session.system_prompt,
                                                                 'temperature', v_session.temperature,
                                                                 'maxTokens', v_output));
      end $$;`);
  }

  override down(): void | Promise<void> {
    throw new Error(
      "Migration20261201031000_chat_settings cannot be undone (it re-creates parley_start_turn).",
    );
  }
}
