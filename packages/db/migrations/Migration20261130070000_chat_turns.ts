import { Migration } from "@mikro-orm/migrations";

/**
 * Chat turns owned by the server: a `chat_turns` row per answer (who runs it, its heartbeat and
 * checkpointed progress), so any process can stream, stop or — when its owner dies — settle it.
 *
 * - parley_start_turn: one call before the first token. Checks the session and the user's limits,
 *   stores the user's message, returns the history and holds the credits (the reservation's id is
 *   the turn's id). A refusal (no credits, unknown model, busy chat) rolls all of it back.
 * - parley_finish_turn: one call at the end. Settles the reservation, stores the answer, closes the
 *   turn — exactly once, whether the owner finishes it or another process recovers a dead one.
 *
 * Reservations gain an `owner`: the chat's are settled only by the chat (the accounting API gets
 * FORBIDDEN, SQLSTATE PL403), so a client cannot settle its own answer's charge.
 */
export class Migration20261130070000_chat_turns extends Migration {
  override name = "Migration20261130070000_chat_turns";

  override up(): void | Promise<void> {
    this.addSql(`create table chat_turns (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      session_id uuid null references chat_sessions (id) on delete cascade,
      user_message_id uuid null,
      client_request_id uuid null,
      model_id varchar(300) not null,
      status text not null default 'running'
        check (status in ('running', 'done', 'stopped', 'failed', 'interrupted')),
      owner varchar(200) not null,
      heartbeat_at timestamptz not null default now(),
      prompt_estimate int not null default 0,
      input_tokens int not null default 0,
      output_tokens int not null default 0,
      partial text not null default '',
      tool_calls jsonb null,
      error_code varchar(50) null,
      assistant_message_id uuid null,
      credits bigint null,
      created_at timestamptz not null default now(),
      finished_at timestamptz null);`);
    this.addSql(`create unique index chat_turns_client_request_unique on chat_turns (user_id, client_request_id)
      where client_request_id is not null;`);
    this.addSql(`create unique index chat_turns_one_running_per_session on chat_turns (session_id)
      where status = 'running';`);
    this.addSql(
      `create index chat_turns_running_heartbeat on chat_turns (heartbeat_at) where status = 'running';`,
    );
    this.addSql(`create index chat_turns_user_created on chat_turns (user_id, created_at);`);

    this.addSql(`alter table reservations add column owner varchar(10) not null default 'api'
      check (owner in ('api', 'chat'));`);

    // parley_reserve gains the owner of the reservation (the API's calls keep working unchanged).
    this.addSql(
      `alter function parley_reserve(uuid, uuid, text, int, int, int) rename to parley_reserve_v1;`,
    );
    this.addSql(`create function parley_reserve(
        p_user uuid, p_id uuid, p_model text, p_input int, p_output int, p_ttl_seconds int,
        p_owner text default 'api')
      returns reservations language plpgsql as $$
      declare
        v_reservation reservations;
      begin
        v_reservation := parley_reserve_v1(p_user, p_id, p_model, p_input, p_output, p_ttl_seconds);
        if p_owner <> 'api' and v_reservation.owner <> p_owner then
          update reservations set owner = p_owner where id = p_id returning * into v_reservation;
        end if;
        return v_reservation;
      end $$;`);

    // parley_settle gains who settles: the API ('api') may not settle the chat's reservations.
    this.addSql(
      `alter function parley_settle(uuid, uuid, text, int, int, boolean, boolean) rename to parley_settle_v1;`,
    );
    this.addSql(`create function parley_settle(
        p_user uuid, p_id uuid, p_status text, p_input int, p_output int, p_success boolean,
        p_skip_locked boolean default false, p_caller text default 'api')
      returns reservations language plpgsql as $$
      begin
        if p_caller = 'api' and exists (select 1 from reservations where id = p_id and owner = 'chat') then
          raise exception 'This reservation belongs to a chat answer; the server settles it.'
            using errcode = 'PL403', detail = json_build_object('field', 'sessionId')::text;
        end if;
        return parley_settle_v1(p_user, p_id, p_status, p_input, p_output, p_success, p_skip_locked);
      end $$;`);

    this.addSql(`create function parley_start_turn(
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
          -- The newest history that fits the budget (about four characters a token).
          select coalesce(jsonb_agg(jsonb_build_object('role', role, 'content', content) order by created_at, id), '[]'),
                 coalesce(sum(tokens), 0)
            into v_history, v_history_tokens
            from (select role, content, created_at, id, ceil(length(content) / 4.0)::int + 4 as tokens,
                         sum(ceil(length(content) / 4.0)::int + 4) over (order by created_at desc, id desc) as running
                    from chat_messages where session_id = p_session and content <> '') m
           where running <= p_history_budget;
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
                p_fixed_tokens + v_history_tokens);
        v_reservation := parley_reserve(p_user, p_turn, p_model, p_fixed_tokens + v_history_tokens, p_output,
                                        p_ttl_seconds, 'chat');
        return jsonb_build_object('turnId', p_turn, 'userMessageId', v_message, 'existing', false,
                                  'history', v_history, 'held', v_reservation.held,
                                  'price', jsonb_build_object('inputPer1k', v_reservation.input_price_per1k,
                                                              'outputPer1k', v_reservation.output_price_per1k),
                                  'promptEstimate', p_fixed_tokens + v_history_tokens, 'title', v_session.title);
      end $$;`);

    // Ends a running turn once. p_owner: the owning process; null: a recovery of a turn whose
    // heartbeat is older than p_stale_seconds (tokens and text then come from its checkpoint).
    this.addSql(`create function parley_finish_turn(
        p_turn uuid, p_owner text, p_stale_seconds int, p_status text, p_settle text,
        p_input int, p_output int, p_content text, p_message_status text, p_tool_calls jsonb,
        p_error_code text, p_error text)
      returns jsonb language plpgsql as $$
      declare
        v_turn chat_turns;
        v_reservation reservations;
        v_unexpected text;
        v_message uuid;
        v_account credit_accounts;
      begin
        update chat_turns
           set status = p_status, finished_at = now(), error_code = p_error_code,
               input_tokens = coalesce(p_input, input_tokens), output_tokens = coalesce(p_output, output_tokens),
               partial = coalesce(p_content, partial), tool_calls = coalesce(p_tool_calls, tool_calls)
         where id = p_turn and status = 'running'
           and ((p_owner is not null and owner = p_owner)
             or (p_owner is null and heartbeat_at < now() - make_interval(secs => p_stale_seconds)))
        returning * into v_turn;
        if not found then
          return jsonb_build_object('finished', false);
        end if;
        begin
          v_reservation := parley_settle(v_turn.user_id, p_turn, p_settle, v_turn.input_tokens,
                                         v_turn.output_tokens, p_settle = 'finalized', false, 'chat');
        exception when sqlstate 'PL409' then
          -- Settled by someone else (the sweeper after an outage longer than the TTL): keep that outcome.
          select * into v_reservation from reservations where id = p_turn;
          v_unexpected := v_reservation.status;
        end;
        if v_turn.session_id is not null then
          insert into chat_messages (id, session_id, role, content, status, model_id, tool_calls, input_tokens,
                                     output_tokens, credits, reservation_id, error, created_at)
          values (gen_random_uuid(), v_turn.session_id, 'assistant', v_turn.partial, p_message_status,
                  v_turn.model_id, coalesce(v_turn.tool_calls, '[]'::jsonb), coalesce(v_reservation.input_tokens, 0),
                  v_turn.output_tokens, coalesce(v_reservation.captured, 0), p_turn, left(p_error, 1000),
                  clock_timestamp())
          returning id into v_message;
          update chat_sessions set last_activity_at = now() where id = v_turn.session_id;
        end if;
        update chat_turns set assistant_message_id = v_message, credits = coalesce(v_reservation.captured, 0)
         where id = p_turn;
        select * into v_account from credit_accounts where user_id = v_turn.user_id;
        return jsonb_build_object('finished', true, 'messageId', v_message, 'userId', v_turn.user_id,
                                  'sessionId', v_turn.session_id, 'content', v_turn.partial,
                                  'inputTokens', coalesce(v_reservation.input_tokens, 0),
                                  'outputTokens', v_turn.output_tokens,
                                  'creditsCharged', coalesce(v_reservation.captured, 0),
                                  'held', coalesce(v_reservation.held, 0),
                                  'unexpectedSettlement', v_unexpected,
                                  'balance', v_account.balance, 'accountHeld', v_account.held,
                                  'nextExpiryAt', v_account.next_expiry_at);
      end $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql("drop function if exists parley_finish_turn cascade;");
    this.addSql("drop function if exists parley_start_turn cascade;");
    this.addSql("drop function if exists parley_settle(uuid, uuid, text, int, int, boolean, boolean, text);");
    this.addSql(
      "alter function parley_settle_v1(uuid, uuid, text, int, int, boolean, boolean) rename to parley_settle;",
    );
    this.addSql("drop function if exists parley_reserve(uuid, uuid, text, int, int, int, text);");
    this.addSql(
      "alter function parley_reserve_v1(uuid, uuid, text, int, int, int) rename to parley_reserve;",
    );
    this.addSql("alter table reservations drop column owner;");
    this.addSql("drop table if exists chat_turns cascade;");
  }
}
