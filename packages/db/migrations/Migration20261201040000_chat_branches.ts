import { Migration } from "@mikro-orm/migrations";

/**
 * Chats become trees: every message has a `parent_id` (the message it follows; null for a chat's
 * first messages), editing a question or regenerating an answer adds a sibling, and the chat keeps
 * its `active_leaf_id` — the end of the branch it shows and the model reads.
 *
 * parley_start_turn's new placement (branches, a chat created by its first send, holds capped to
 * what the balance affords) is defined once, together with attachments, by
 * Migration20261201050000_attachments, which runs right after this one.
 * parley_finish_turn (same signature) stores the answer under its question and makes it the leaf;
 * it keeps what the prompt caching migration added.
 */
export class Migration20261201040000_chat_branches extends Migration {
  override name = "Migration20261201040000_chat_branches";

  override up(): void | Promise<void> {
    this.addSql(`alter table chat_messages add column parent_id uuid null
      references chat_messages (id) on delete cascade;`);
    this.addSql(`create index chat_messages_parent_id_index on chat_messages (parent_id);`);
    // Existing chats become one linear branch each, in the order they were written.
    this.addSql(`update chat_messages m set parent_id = chain.previous
      from (select id, lag(id) over (partition by session_id order by created_at, id) as previous
              from chat_messages) chain
     where m.id = chain.id and chain.previous is not null;`);
    this.addSql(`alter table chat_sessions add column active_leaf_id uuid null
      references chat_messages (id) on delete set null;`);
    this.addSql(`update chat_sessions s set active_leaf_id = (
      select id from chat_messages m where m.session_id = s.id order by created_at desc, id desc limit 1);`);

    this.addSql(FINISH_TURN_ON_TURN_HEARTBEATS);
  }

  override down(): void | Promise<void> {
    this.addSql(
      "drop function parley_finish_turn(uuid, text, int, text, text, int, int, text, text, jsonb, text, text);",
    );
    this.addSql("alter table chat_sessions drop column active_leaf_id;");
    this.addSql("alter table chat_messages drop column parent_id;");
    // The earlier linear parley_finish_turn is the prompt caching migration's: like that one, this
    // migration cannot re-create what it replaced.
  }
}

/**
 * parley_finish_turn as the prompt-caching migration left it (cache tokens), but the answer is
 * stored under its question and becomes the chat's active leaf. Replaced by the process heartbeats
 * migration, whose down() restores it.
 */
export const FINISH_TURN_ON_TURN_HEARTBEATS = `create or replace function parley_finish_turn(
    p_turn uuid, p_owner text, p_stale_seconds int, p_status text, p_settle text,
    p_input int, p_output int, p_content text, p_message_status text, p_tool_calls jsonb,
    p_error_code text, p_error text, p_cache_read int, p_cache_write int)
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
           cache_read_tokens = coalesce(p_cache_read, cache_read_tokens),
           cache_write_tokens = coalesce(p_cache_write, cache_write_tokens),
           partial = coalesce(p_content, partial), tool_calls = coalesce(p_tool_calls, tool_calls)
     where id = p_turn and status = 'running'
       and ((p_owner is not null and owner = p_owner)
         or (p_owner is null and heartbeat_at < now() - make_interval(secs => p_stale_seconds)))
    returning * into v_turn;
    if not found then
      return jsonb_build_object('finished', false);
    end if;
    update reservations set cache_read_tokens = v_turn.cache_read_tokens,
                            cache_write_tokens = v_turn.cache_write_tokens
     where id = p_turn and status = 'open';
    begin
      v_reservation := parley_settle(v_turn.user_id, p_turn, p_settle, v_turn.input_tokens,
                                     v_turn.output_tokens, p_settle = 'finalized', false, 'chat');
    exception when sqlstate 'PL409' then
      -- Settled by someone else (the sweeper after an outage longer than the TTL): keep that outcome.
      select * into v_reservation from reservations where id = p_turn;
      v_unexpected := v_reservation.status;
    end;
    if v_turn.session_id is not null then
      insert into chat_messages (id, session_id, parent_id, role, content, status, model_id, tool_calls,
                                 input_tokens, output_tokens, credits, reservation_id, error, created_at)
      values (gen_random_uuid(), v_turn.session_id, v_turn.user_message_id, 'assistant', v_turn.partial,
              p_message_status, v_turn.model_id, coalesce(v_turn.tool_calls, '[]'::jsonb),
              coalesce(v_reservation.input_tokens, 0), v_turn.output_tokens, coalesce(v_reservation.captured, 0),
              p_turn, left(p_error, 1000), clock_timestamp())
      returning id into v_message;
      -- The answer ends the branch, unless the user has switched to another version meanwhile.
      update chat_sessions
         set last_activity_at = now(),
             active_leaf_id = case when active_leaf_id is null or active_leaf_id = v_turn.user_message_id
                                   then v_message else active_leaf_id end
       where id = v_turn.session_id;
    end if;
    update chat_turns set assistant_message_id = v_message, credits = coalesce(v_reservation.captured, 0)
     where id = p_turn;
    select * into v_account from credit_accounts where user_id = v_turn.user_id;
    return jsonb_build_object('finished', true, 'messageId', v_message, 'userId', v_turn.user_id,
                              'sessionId', v_turn.session_id, 'content', v_turn.partial,
                              'inputTokens', coalesce(v_reservation.input_tokens, 0),
                              'outputTokens', v_turn.output_tokens,
                              'cacheReadTokens', v_turn.cache_read_tokens,
                              'cacheWriteTokens', v_turn.cache_write_tokens,
                              'creditsCharged', coalesce(v_reservation.captured, 0),
                              'held', coalesce(v_reservation.held, 0),
                              'unexpectedSettlement', v_unexpected,
                              'balance', v_account.balance, 'accountHeld', v_account.held,
                              'nextExpiryAt', v_account.next_expiry_at);
  end $$;`;
