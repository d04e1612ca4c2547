import { Migration } from "@mikro-orm/migrations";
import { FINISH_TURN_ON_TURN_HEARTBEATS } from "./Migration20261201040000_chat_branches.ts";

/**
 * The heartbeat moves from every running turn to the process that runs them: `chat_turn_owners`
 * holds one row per server process, beaten every two seconds. Before, each process rewrote every
 * one of its running turns' rows every two seconds just to say it was alive, and since
 * `heartbeat_at` was indexed (recovery's query), neither that update nor the checkpoint's could be
 * HOT: at 500 answers, a thousand new row versions and index entries every two seconds. Liveness
 * is a property of the process; the turn rows now change only for progress, which no index covers.
 *
 * A running turn belongs to a dead process when its owner has no beat in `p_stale_seconds` and the
 * turn is older than that (a turn started before its process's first beat landed is not dead).
 *
 * parley_finish_turn (same signature, same results) now reads the turn with `for update`, settles,
 * stores the answer, and closes the turn in one update: the row was written twice per answer.
 */
export class Migration20261203010000_process_heartbeats extends Migration {
  override name = "Migration20261203010000_process_heartbeats";

  override up(): void | Promise<void> {
    this.addSql(`create table chat_turn_owners (
      owner varchar(200) primary key,
      heartbeat_at timestamptz not null default now());`);
    this.addSql("drop index chat_turns_running_heartbeat;");
    this.addSql("alter table chat_turns drop column heartbeat_at;");
    this.addSql("create index chat_turns_running_owner on chat_turns (owner) where status = 'running';");
    this.addSql(`create function parley_turn_owner_dead(p_owner text, p_started timestamptz, p_stale_seconds int)
      returns boolean language sql stable as $$
        select p_started < now() - make_interval(secs => p_stale_seconds)
           and not exists (select 1 from chat_turn_owners
                            where owner = p_owner and heartbeat_at >= now() - make_interval(secs => p_stale_seconds))
      $$;`);
    this.addSql(FINISH_TURN);
  }

  override down(): void | Promise<void> {
    this.addSql("alter table chat_turns add column heartbeat_at timestamptz not null default now();");
    this.addSql(FINISH_TURN_ON_TURN_HEARTBEATS);
    this.addSql("drop function parley_turn_owner_dead(text, timestamptz, int);");
    this.addSql("drop index chat_turns_running_owner;");
    this.addSql(
      "create index chat_turns_running_heartbeat on chat_turns (heartbeat_at) where status = 'running';",
    );
    this.addSql("drop table chat_turn_owners;");
  }
}

/** The chat branches migration's parley_finish_turn, on process heartbeats and one write of the turn. */
const FINISH_TURN = `create or replace function parley_finish_turn(
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
    -- The lock makes the end exactly-once: a second finisher waits, then sees the turn no longer running.
    select * into v_turn from chat_turns t
     where t.id = p_turn and t.status = 'running'
       and ((p_owner is not null and t.owner = p_owner)
         or (p_owner is null and parley_turn_owner_dead(t.owner, t.created_at, p_stale_seconds)))
       for update;
    if not found then
      return jsonb_build_object('finished', false);
    end if;
    v_turn.input_tokens := coalesce(p_input, v_turn.input_tokens);
    v_turn.output_tokens := coalesce(p_output, v_turn.output_tokens);
    v_turn.cache_read_tokens := coalesce(p_cache_read, v_turn.cache_read_tokens);
    v_turn.cache_write_tokens := coalesce(p_cache_write, v_turn.cache_write_tokens);
    v_turn.partial := coalesce(p_content, v_turn.partial);
    v_turn.tool_calls := coalesce(p_tool_calls, v_turn.tool_calls);
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
    update chat_turns
       set status = p_status, finished_at = now(), error_code = p_error_code,
           input_tokens = v_turn.input_tokens, output_tokens = v_turn.output_tokens,
           cache_read_tokens = v_turn.cache_read_tokens, cache_write_tokens = v_turn.cache_write_tokens,
           partial = v_turn.partial, tool_calls = v_turn.tool_calls,
           assistant_message_id = v_message, credits = coalesce(v_reservation.captured, 0)
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
