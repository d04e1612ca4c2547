import { Migration } from "@mikro-orm/migrations";

/**
 * Bedrock prompt caching, charged as Bedrock bills it: tokens read from and written to the cache
 * are priced apart from plain input (credits per million tokens, admin-editable on model_prices).
 *
 * - model_prices gains the cache prices (null: the model is not cached); reservations copy them
 *   (parley_start_turn, see the chat settings migration) and carry the turn's cache tokens.
 * - parley_reservation_cost: a reservation's cost in whole credits, rounded up once, with the cache
 *   terms (the same formula as creditsFor() in @parley/accounting). Cache tokens of a reservation
 *   without cache prices are charged as input.
 * - parley_settle_v1 is re-created with that cost (and the cache tokens in the usage record's
 *   metadata); the rest of it is unchanged.
 * - chat_turns checkpoint the cache tokens; parley_finish_turn takes them (a new signature).
 */
/**
 * parley_reservation_cost as first created here (after `create function`); the reservation cost
 * migration replaces it, and its down() restores this.
 */
export const RESERVATION_COST_INT_PRODUCTS = `parley_reservation_cost(r reservations, p_input int, p_output int)
      returns bigint language sql immutable as $$
        select ceil((p_input::numeric * r.input_price_per1k * 1000 + p_output::numeric * r.output_price_per1k * 1000
                     + r.cache_read_tokens::numeric * coalesce(r.cache_read_price_per1m, r.input_price_per1k * 1000)
                     + r.cache_write_tokens::numeric * coalesce(r.cache_write_price_per1m, r.input_price_per1k * 1000))
                    / 1000000)::bigint
      $$;`;

export class Migration20261201030000_prompt_caching extends Migration {
  override name = "Migration20261201030000_prompt_caching";

  override up(): void | Promise<void> {
    this.addSql(`alter table model_prices add column cache_read_per1m int null, add column cache_write_per1m int null,
      add constraint model_prices_cache_nonnegative check (cache_read_per1m >= 0 and cache_write_per1m >= 0);`);
    this.addSql(`alter table reservations add column cache_read_price_per1m int null,
      add column cache_write_price_per1m int null,
      add column cache_read_tokens int not null default 0, add column cache_write_tokens int not null default 0;`);
    this.addSql(`alter table chat_turns add column cache_read_tokens int not null default 0,
      add column cache_write_tokens int not null default 0;`);

    this.addSql(`create function ${RESERVATION_COST_INT_PRODUCTS}`);

    this.addSql(`create or replace function parley_settle_v1(
        p_user uuid, p_id uuid, p_status text, p_input int, p_output int, p_success boolean,
        p_skip_locked boolean default false)
      returns reservations language plpgsql as $$
      declare
        v_account credit_accounts;
        v_reservation reservations;
        v_input int;
        v_cost bigint;
        v_captured bigint;
        v_held_used bigint;
        v_released bigint;
        v_actor uuid := case when p_status = 'expired' then null else p_user end;
        v_usage uuid := gen_random_uuid();
        v_entry bigint;
        v_release_entry bigint;
      begin
        v_account := parley_lock_account(p_user, p_skip_locked);
        if v_account.user_id is null then return null; end if;
        select * into v_reservation from reservations where id = p_id and user_id = p_user;
        if not found then
          raise exception 'No such streaming session.' using errcode = 'PL404';
        end if;
        if p_status = 'expired' and (v_reservation.status <> 'open' or v_reservation.expires_at > now()) then
          return null;
        end if;
        if v_reservation.status = p_status then return v_reservation; end if;
        if v_reservation.status <> 'open' then
          raise exception 'This streaming session was already %.', v_reservation.status
            using errcode = 'PL409', detail = json_build_object('status', v_reservation.status)::text;
        end if;

        v_input := coalesce(p_input, v_reservation.estimated_input_tokens);
        -- Changed from the original: the cost counts the cache tokens at the cache prices.
        v_cost := parley_reservation_cost(v_reservation, v_input, p_output);
        v_captured := least(v_cost, greatest(0, v_account.balance - (v_account.held - v_reservation.held)));
        v_held_used := least(v_reservation.held, v_captured);
        v_released := v_reservation.held - v_held_used;

        perform parley_consume_grants(p_user, v_captured);
        if v_captured > 0 or v_held_used > 0 then
          v_entry := parley_append_entry(p_user, 'capture', -v_captured, -v_held_used, v_actor, null, p_id, v_usage, null);
        end if;
        if v_released > 0 then
          v_release_entry := parley_append_entry(p_user, 'release', 0, -v_released, v_actor, null, p_id, v_usage, null);
        end if;
        insert into usage_records (id, user_id, service, operation, model_id, input_tokens, output_tokens,
                                   credits, shortfall, reservation_id, ledger_entry_id, metadata, created_at)
        values (v_usage, p_user, 'llm',
                case when p_status = 'finalized' then 'stream' else 'stream_' || p_status end,
                v_reservation.model_id, v_input, p_output, v_captured, v_cost - v_captured, p_id,
                coalesce(v_entry, v_release_entry),
                json_build_object('status', p_status, 'success', p_success, 'held', v_reservation.held,
                                  'cacheReadTokens', v_reservation.cache_read_tokens,
                                  'cacheWriteTokens', v_reservation.cache_write_tokens), now());
        update reservations
           set status = p_status, settled_at = now(), input_tokens = v_input, output_tokens = p_output,
               cost = v_cost, captured = v_captured, shortfall = v_cost - v_captured, success = p_success,
               usage_record_id = v_usage,
               balance_after = (select balance from credit_accounts where user_id = p_user)
         where id = p_id
        returning * into v_reservation;
        return v_reservation;
      end $$;`);

    this.addSql(
      "drop function parley_finish_turn(uuid, text, int, text, text, int, int, text, text, jsonb, text, text);",
    );
    // As before, plus the turn's cache tokens (p_cache_read / p_cache_write; null on recovery: the
    // checkpoint's), stored on the turn and the reservation before it is settled.
    this.addSql(`create function parley_finish_turn(
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
                                  'cacheReadTokens', v_turn.cache_read_tokens,
                                  'cacheWriteTokens', v_turn.cache_write_tokens,
                                  'creditsCharged', coalesce(v_reservation.captured, 0),
                                  'held', coalesce(v_reservation.held, 0),
                                  'unexpectedSettlement', v_unexpected,
                                  'balance', v_account.balance, 'accountHeld', v_account.held,
                                  'nextExpiryAt', v_account.next_expiry_at);
      end $$;`);
  }

  override down(): void | Promise<void> {
    throw new Error(
      "Migration20261201030000_prompt_caching cannot be undone (it re-creates ledger functions).",
    );
  }
}
