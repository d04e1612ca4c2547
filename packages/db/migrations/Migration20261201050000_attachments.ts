import { Migration } from "@mikro-orm/migrations";

/**
 * Files and images attached to chat messages (issue 13).
 *
 * - chat_attachments: the bytes and what was read from them. An upload is unattached
 *   (message_id null) until a send links it; unattached uploads expire (the turn keeper's sweep).
 * - parley_start_turn (DROP + CREATE: its signature grows) now
 *   - answers on a branch (chat_branches migration's columns): a send follows the active leaf, an
 *     edit (p_edit_of) stores the new question beside the edited one, a regeneration
 *     (p_regenerate_of) answers an existing question again without storing a message; the history
 *     is the branch above the question (a recursive walk up the parent ids), never other versions;
 *   - creates the chat itself for a first message (p_new_session), so a refused first message
 *     leaves no empty chat behind;
 *   - holds what the user can afford: when the model's full output does not fit the balance, it
 *     holds for as many output tokens as it does (never fewer than p_min_output) and returns that
 *     cap, which the caller hands to the model, so the charge stays within the hold;
 *   - links the caller's unattached uploads (p_attachments) to the new user message in the same
 *     call (rolled back with the hold on a refusal); an id that is not the caller's, already sent
 *     or expired refuses the start (NOT_FOUND); an edited question keeps the files of the version
 *     it replaces; the history carries each message's attachment ids, their token estimates
 *     counted against the budget.
 *   What the chat settings and prompt caching migrations added stays (marked as there); the
 *   attachment lines say "attachments".
 */
export class Migration20261201050000_attachments extends Migration {
  override name = "Migration20261201050000_attachments";

  override up(): void | Promise<void> {
    this.addSql(`create table chat_attachments (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      message_id uuid null references chat_messages (id) on delete cascade,
      name varchar(255) not null,
      media_type varchar(100) not null,
      format varchar(10) not null,
      kind text not null check (kind in ('image', 'document')),
      size_bytes int not null,
      width int null,
      height int null,
      token_estimate int not null,
      data bytea not null,
      created_at timestamptz not null default now());`);
    this.addSql(
      "create index chat_attachments_message on chat_attachments (message_id) where message_id is not null;",
    );
    this.addSql(
      "create index chat_attachments_unattached on chat_attachments (created_at) where message_id is null;",
    );

    // The definition it replaces is the chat settings migration's (Migration20261201031000).
    this.addSql(
      `drop function parley_start_turn(uuid, uuid, uuid, text, text, uuid, text, int, int, int, int, int, text, text);`,
    );
    this.addSql(START_TURN);
  }

  override down(): void | Promise<void> {
    // The previous parley_start_turn is not restored here: reverting means restoring a backup.
    throw new Error("Migration20261201050000_attachments cannot be reverted; restore a backup instead.");
  }
}

const START_TURN = `create function parley_start_turn(
        p_turn uuid, p_user uuid, p_session uuid, p_content text, p_model text, p_client_request uuid,
        p_owner text, p_max_running int, p_fixed_tokens int, p_history_budget int, p_output int,
        p_ttl_seconds int, p_default_title text, p_title text,
        p_new_session boolean, p_edit_of uuid, p_regenerate_of uuid, p_min_output int,
        p_attachments uuid[] default null)
      returns jsonb language plpgsql as $$
      declare
        v_existing chat_turns;
        v_session chat_sessions;
        v_target chat_messages;
        v_message uuid;
        v_parent uuid;
        v_history jsonb := '[]';
        v_history_tokens int := 0;
        v_account credit_accounts;
        v_price model_prices;
        v_output int := p_output;
        v_affordable bigint;
        v_reservation reservations;
        -- chat settings: the chat's system prompt's tokens (the same estimate as estimateTokens()).
        v_system_tokens int := 0;
        -- chat settings: the answer length the chat asks for (the hold may cover less: v_output).
        v_wanted int := p_output;
        v_linked int; -- attachments
      begin
        -- One start at a time per user: the idempotency and concurrency checks see every turn.
        perform pg_advisory_xact_lock(hashtextextended('parley_turn:' || p_user::text, 0));
        if p_client_request is not null then
          select * into v_existing from chat_turns where user_id = p_user and client_request_id = p_client_request;
          if found then
            return jsonb_build_object('turnId', v_existing.id, 'userMessageId', v_existing.user_message_id,
                                      'sessionId', v_existing.session_id, 'existing', true);
          end if;
        end if;
        if (select count(*) from chat_turns where user_id = p_user and status = 'running') >= p_max_running then
          raise exception 'You already have % answers being written. Wait for one to finish.', p_max_running
            using errcode = 'PL429', detail = json_build_object('limit', p_max_running, 'retryAfterSeconds', 5)::text;
        end if;
        if p_new_session then
          -- The chat exists only if its first message is accepted (a refusal below rolls it back).
          insert into chat_sessions (id, user_id, title, model_id, created_at, last_activity_at)
          values (gen_random_uuid(), p_user, p_title, p_model, now(), now())
          returning * into v_session;
          p_session := v_session.id;
        elsif p_session is not null then
          select * into v_session from chat_sessions
           where id = p_session and user_id = p_user and deleted_at is null for update;
          if not found then
            raise exception 'Chat session not found.' using errcode = 'PL404';
          end if;
          if exists (select 1 from chat_turns where session_id = p_session and status = 'running') then
            raise exception 'An answer is already being written in this chat.' using errcode = 'PL409';
          end if;
        end if;
        if p_session is not null then
          -- chat settings: the chat's prompt takes room from the history; its answer length caps the hold.
          if coalesce(v_session.system_prompt, '') <> '' then
            v_system_tokens := ceil(length(v_session.system_prompt) / 4.0)::int + 4;
          end if;
          v_wanted := least(p_output, coalesce(v_session.max_tokens, p_output));
          v_output := v_wanted;
          -- Where the question goes: after the active leaf (send), beside the edited question
          -- (edit), or nowhere new (regenerate: the existing question is answered again).
          if p_edit_of is not null or p_regenerate_of is not null then
            select * into v_target from chat_messages
             where id = coalesce(p_edit_of, p_regenerate_of) and session_id = p_session;
            if not found then
              raise exception 'Message not found.' using errcode = 'PL404',
                detail = json_build_object('field', 'messageId')::text;
            end if;
            if p_edit_of is not null and v_target.role <> 'user' then
              raise exception 'Only your own messages can be edited; regenerate an answer instead.'
                using errcode = 'PL400', detail = json_build_object('field', 'messageId')::text;
            end if;
          end if;
          if p_regenerate_of is not null then
            v_message := case when v_target.role = 'user' then v_target.id else v_target.parent_id end;
            select parent_id into v_parent from chat_messages where id = v_message;
          else
            v_parent := case when p_edit_of is not null then v_target.parent_id else v_session.active_leaf_id end;
          end if;
          -- The newest history that fits the budget (about four characters a token), walking up
          -- the branch from the question's parent: other versions are never read.
          with recursive branch as (
            select id, parent_id, role, content, 0 as depth from chat_messages where id = v_parent
            union all
            select m.id, m.parent_id, m.role, m.content, b.depth + 1
              from chat_messages m join branch b on m.id = b.parent_id
             where m.session_id = p_session)
          -- attachments: each message with its attachments' ids, their estimates counted in its tokens.
          select coalesce(jsonb_agg(jsonb_build_object('role', role, 'content', content,
                                                       'attachmentIds', attachment_ids) order by depth desc), '[]'),
                 coalesce(sum(tokens), 0)
            into v_history, v_history_tokens
            from (select b.role, b.content, b.depth, a.ids as attachment_ids,
                         ceil(length(b.content) / 4.0)::int + 4 + coalesce(a.tokens, 0) as tokens,
                         sum(ceil(length(b.content) / 4.0)::int + 4 + coalesce(a.tokens, 0))
                           over (order by b.depth) as running
                    from branch b
                    left join lateral (select jsonb_agg(c.id order by c.created_at, c.id) as ids,
                                              sum(c.token_estimate)::int as tokens
                                         from chat_attachments c where c.message_id = b.id) a on true
                   where b.content <> '') m
           where running <= p_history_budget - v_system_tokens + p_output - v_wanted;
          if v_message is null then
            insert into chat_messages (id, session_id, parent_id, role, content, status, created_at)
            values (gen_random_uuid(), p_session, v_parent, 'user', p_content, 'complete', clock_timestamp())
            returning id into v_message;
            -- attachments: link the caller's unattached uploads to the message, all of them or none.
            if coalesce(cardinality(p_attachments), 0) > 0 then
              update chat_attachments set message_id = v_message
               where id = any(p_attachments) and user_id = p_user and message_id is null;
              get diagnostics v_linked = row_count;
              if v_linked <> (select count(distinct a) from unnest(p_attachments) a) then
                raise exception 'Attachment not found (it may have expired or been sent already).'
                  using errcode = 'PL404', detail = json_build_object('field', 'attachmentIds')::text;
              end if;
            end if;
            -- attachments: an edited question keeps the files of the version it replaces (copied: a
            -- file belongs to one message, and the old version keeps its own).
            if p_edit_of is not null then
              insert into chat_attachments (id, user_id, message_id, name, media_type, format, kind, size_bytes,
                                            width, height, token_estimate, data, created_at)
              select gen_random_uuid(), user_id, v_message, name, media_type, format, kind, size_bytes,
                     width, height, token_estimate, data, clock_timestamp()
                from chat_attachments where message_id = p_edit_of order by created_at, id;
            end if;
          end if;
          update chat_sessions
             set model_id = p_model, last_activity_at = now(), active_leaf_id = v_message,
                 title = case when title = p_default_title and v_history = '[]'::jsonb then p_title else title end
           where id = p_session
          returning * into v_session;
        end if;
        if p_session is null and coalesce(cardinality(p_attachments), 0) > 0 then -- attachments
          raise exception 'Attachments need a chat session.'
            using errcode = 'PL400', detail = json_build_object('field', 'attachmentIds')::text;
        end if;
        insert into chat_turns (id, user_id, session_id, user_message_id, client_request_id, model_id, owner,
                                prompt_estimate)
        values (p_turn, p_user, p_session, v_message, p_client_request, p_model, p_owner,
                p_fixed_tokens + v_system_tokens + v_history_tokens);
        -- Hold what the balance affords when the full output does not fit, down to p_min_output
        -- (below it the reservation refuses as usual). The account is locked here, so what is
        -- read is what parley_reserve checks.
        select * into v_price from model_prices where model_id = p_model and enabled;
        if found and v_price.output_per1k > 0 then
          v_account := parley_lock_account(p_user);
          v_affordable := (1000 * parley_available(v_account)
                           - (p_fixed_tokens + v_system_tokens + v_history_tokens)::bigint * v_price.input_per1k)
                          / v_price.output_per1k;
          if v_affordable < v_wanted then
            v_output := greatest(v_affordable, least(p_min_output, v_wanted))::int;
          end if;
        end if;
        v_reservation := parley_reserve(p_user, p_turn, p_model, p_fixed_tokens + v_system_tokens + v_history_tokens,
                                        v_output, p_ttl_seconds, 'chat');
        -- prompt caching: the reservation keeps the cache prices of the moment, as it keeps the others.
        update reservations r
           set cache_read_price_per1m = m.cache_read_per1m, cache_write_price_per1m = m.cache_write_per1m
          from model_prices m
         where r.id = p_turn and m.model_id = p_model
        returning r.* into v_reservation;
        return jsonb_build_object('turnId', p_turn, 'userMessageId', v_message, 'sessionId', p_session,
                                  'existing', false, 'history', v_history, 'held', v_reservation.held,
                                  'outputCap', case when v_output < v_wanted then v_output end,
                                  'price', jsonb_build_object('inputPer1k', v_reservation.input_price_per1k,
                                                              'outputPer1k', v_reservation.output_price_per1k,
                                                              'cacheReadPer1m', v_reservation.cache_read_price_per1m,
                                                              'cacheWritePer1m', v_reservation.cache_write_price_per1m),
                                  'promptEstimate', p_fixed_tokens + v_system_tokens + v_history_tokens,
                                  'title', v_session.title,
                                  -- chat settings (maxTokens: what the model may write, within the hold)
                                  'settings', jsonb_build_object('systemPrompt', v_session.system_prompt,
                                                                 'temperature', v_session.temperature,
                                                                 'maxTokens', v_output));
      end $$;`;
