import { Migration } from "@mikro-orm/migrations";

/**
 * The money-moving core of the ledger, as PL/pgSQL functions: every operation is one call, so an
 * account's row lock is held only while PostgreSQL runs the function (no network round trips
 * inside the lock), and each operation is one statement: it commits whole or not at all.
 *
 * Invariants, kept by construction:
 * - every change to an account's totals goes through parley_append_entry, which moves the totals
 *   and writes the ledger entry in one statement: Σ amount = balance, Σ held_delta = held;
 * - every movement of an account first takes its row lock (parley_lock_account): movements of one
 *   account are serialised, whichever server process makes them;
 * - the balance is the sum of unexpired grants' remainders: credits enter as grants and leave by
 *   consuming grants (soonest-expiring first) or by expiring them;
 * - check constraints refuse a negative balance, held amount or running total.
 *
 * Errors use SQLSTATE PL400 / PL402 / PL404 / PL409 (bad request, payment required, not found,
 * conflict), with a JSON DETAIL the API passes on to clients.
 */
export class Migration20261122022000_ledger_functions extends Migration {
  override name = "Migration20261122022000_ledger_functions";

  override up(): void | Promise<void> {
    // Cost in whole credits, rounded up: the same formula as creditsFor() in @parley/accounting.
    this.addSql(`create function parley_cost(input_per1k int, output_per1k int, input_tokens int, output_tokens int)
      returns bigint language sql immutable as $$
        select (input_tokens::bigint * input_per1k + output_tokens::bigint * output_per1k + 999) / 1000
      $$;`);

    // Moves the account's totals and writes the entry explaining the move, in one statement.
    // (PL/pgSQL rather than SQL functions throughout: PL/pgSQL caches its plans across calls.)
    this.addSql(`create function parley_append_entry(
        p_user uuid, p_type text, p_amount bigint, p_held_delta bigint, p_actor uuid,
        p_grant uuid, p_reservation uuid, p_usage uuid, p_notes text)
      returns bigint language plpgsql as $$
      declare
        v_id bigint;
      begin
        with account as (
          update credit_accounts
             set balance = balance + p_amount, held = held + p_held_delta, updated_at = now()
           where user_id = p_user
          returning balance, held)
        insert into ledger_entries (user_id, type, amount, held_delta, balance_after, held_after,
                                    actor_id, grant_id, reservation_id, usage_record_id, notes)
        select p_user, p_type, p_amount, p_held_delta, balance, held,
               p_actor, p_grant, p_reservation, p_usage, p_notes
          from account
        returning id into v_id;
        return v_id;
      end $$;`);

    // Takes p_amount out of unexpired grants, the soonest-expiring first (no expiry last, then oldest).
    this.addSql(`create function parley_consume_grants(p_user uuid, p_amount bigint)
      returns void language plpgsql as $$
      begin
        if p_amount <= 0 then return; end if;
        update credit_grants g
           set remaining = g.remaining - least(g.remaining, p_amount - o.before)
          from (select id,
                       coalesce(sum(remaining) over (order by expires_at asc nulls last, created_at, id
                                                     rows between unbounded preceding and 1 preceding), 0) as before
                  from credit_grants
                 where user_id = p_user and not expired and remaining > 0) o
         where g.id = o.id and o.before < p_amount;
      end $$;`);

    // Expires every due grant: its remainder leaves through an 'expire' entry (actor: the system).
    this.addSql(`create function parley_expire_due_grants(p_user uuid)
      returns void language plpgsql as $$
      declare
        g record;
      begin
        for g in
          update credit_grants c set expired = true, remaining = 0
            from (select id, remaining from credit_grants
                   where user_id = p_user and not expired and expires_at <= now()) old
           where c.id = old.id
          returning c.id, old.remaining
        loop
          if g.remaining > 0 then
            perform parley_append_entry(p_user, 'expire', -g.remaining, 0, null, g.id, null, null, 'grant expired');
          end if;
        end loop;
        update credit_accounts
           set next_expiry_at = (select min(expires_at) from credit_grants where user_id = p_user and not expired)
         where user_id = p_user;
      end $$;`);

    // Locks the account row (creating it on first use) and expires due grants. With p_skip_locked,
    // returns null instead of waiting when another transaction holds the lock (the sweeper).
    this.addSql(`create function parley_lock_account(p_user uuid, p_skip_locked boolean default false)
      returns credit_accounts language plpgsql as $$
      declare
        v_account credit_accounts;
      begin
        if p_skip_locked then
          select * into v_account from credit_accounts where user_id = p_user for update skip locked;
          if not found then return null; end if;
        else
          select * into v_account from credit_accounts where user_id = p_user for update;
          if not found then
            if not exists (select 1 from users where id = p_user) then
              raise exception 'User not found.' using errcode = 'PL404';
            end if;
            insert into credit_accounts (user_id) values (p_user) on conflict do nothing;
            select * into v_account from credit_accounts where user_id = p_user for update;
          end if;
        end if;
        if v_account.next_expiry_at <= now() then
          perform parley_expire_due_grants(p_user);
          select * into v_account from credit_accounts where user_id = p_user;
        end if;
        return v_account;
      end $$;`);

    this.addSql(`create function parley_available(a credit_accounts)
      returns bigint language sql immutable as $$ select greatest(0, a.balance - a.held) $$;`);

    // Adds credits as a new grant, on an account the caller has locked.
    this.addSql(`create function parley_credit_locked(
        p_user uuid, p_actor uuid, p_type text, p_amount bigint, p_expiry_days int, p_notes text)
      returns void language plpgsql as $$
      declare
        v_grant uuid := gen_random_uuid();
        v_expires timestamptz := now() + make_interval(days => p_expiry_days);
      begin
        insert into credit_grants (id, user_id, amount, remaining, expires_at, source, notes, granted_by_id)
        values (v_grant, p_user, p_amount, p_amount, v_expires, p_type, p_notes, p_actor);
        if v_expires is not null then
          update credit_accounts set next_expiry_at = least(coalesce(next_expiry_at, v_expires), v_expires)
           where user_id = p_user;
        end if;
        perform parley_append_entry(p_user, p_type, p_amount, 0, p_actor, v_grant, null, null, p_notes);
      end $$;`);

    // Removes credits from what is available (never from holds), on a locked account.
    this.addSql(`create function parley_debit_locked(
        p_account credit_accounts, p_actor uuid, p_type text, p_amount bigint, p_notes text)
      returns void language plpgsql as $$
      begin
        if p_amount > parley_available(p_account) then
          raise exception 'Only % credits are available to remove (% are held by running requests).',
            parley_available(p_account), p_account.held
            using errcode = 'PL400',
                  detail = json_build_object('field', 'credits', 'available', parley_available(p_account))::text;
        end if;
        perform parley_consume_grants(p_account.user_id, p_amount);
        perform parley_append_entry(p_account.user_id, p_type, -p_amount, 0, p_actor, null, null, null, p_notes);
      end $$;`);

    // Admin movements: 'allocate' / 'adjust' with a positive amount add a grant, 'remove' / 'adjust'
    // with a negative one remove from what is available, 'set' does whichever reaches p_amount.
    this.addSql(`create function parley_admin_move(
        p_user uuid, p_actor uuid, p_type text, p_amount bigint, p_expiry_days int, p_notes text)
      returns credit_accounts language plpgsql as $$
      declare
        v_account credit_accounts := parley_lock_account(p_user);
        v_difference bigint;
      begin
        if p_type = 'set' then
          v_difference := p_amount - v_account.balance;
          if v_difference < 0 and p_amount < v_account.held then
            raise exception '% credits are held by running requests; the balance cannot be set below that.',
              v_account.held
              using errcode = 'PL400', detail = json_build_object('field', 'credits', 'held', v_account.held)::text;
          end if;
        elsif p_type = 'remove' then
          v_difference := -p_amount;
        else
          v_difference := p_amount;
        end if;
        if v_difference > 0 then
          perform parley_credit_locked(p_user, p_actor, p_type, v_difference, p_expiry_days, p_notes);
        elsif v_difference < 0 then
          perform parley_debit_locked(v_account, p_actor, p_type, -v_difference, p_notes);
        end if;
        select * into v_account from credit_accounts where user_id = p_user;
        return v_account;
      end $$;`);

    // Holds the estimated cost of a model call, checking what is available under the lock.
    this.addSql(`create function parley_reserve(
        p_user uuid, p_id uuid, p_model text, p_input int, p_output int, p_ttl_seconds int)
      returns reservations language plpgsql as $$
      declare
        v_price model_prices;
        v_hold bigint;
        v_account credit_accounts;
        v_reservation reservations;
      begin
        select * into v_price from model_prices where model_id = p_model and enabled;
        if not found then
          raise exception 'Unknown model "%". Available: %.', p_model,
            (select coalesce(string_agg(model_id, ', ' order by model_id), 'none') from model_prices where enabled)
            using errcode = 'PL400',
                  detail = json_build_object('field', 'modelId', 'models',
                    (select coalesce(json_agg(model_id order by model_id), '[]') from model_prices where enabled))::text;
        end if;
        v_hold := parley_cost(v_price.input_per1k, v_price.output_per1k, p_input, p_output);
        v_account := parley_lock_account(p_user);
        -- Initializing the same id twice holds credits once (checked under the lock).
        select * into v_reservation from reservations where id = p_id;
        if found then
          if v_reservation.user_id <> p_user then
            raise exception 'That session id is already in use.'
              using errcode = 'PL409', detail = json_build_object('field', 'sessionId')::text;
          end if;
          return v_reservation;
        end if;
        if v_hold > parley_available(v_account) then
          raise exception 'Not enough credits: this request needs up to %, and % are available.',
            v_hold, parley_available(v_account)
            using errcode = 'PL402',
                  detail = json_build_object('available', parley_available(v_account), 'required', v_hold)::text;
        end if;
        insert into reservations (id, user_id, model_id, estimated_input_tokens, estimated_output_tokens,
                                  input_price_per1k, output_price_per1k, held, status, created_at, expires_at)
        values (p_id, p_user, p_model, p_input, p_output, v_price.input_per1k, v_price.output_per1k, v_hold,
                'open', now(), now() + make_interval(secs => p_ttl_seconds))
        returning * into v_reservation;
        perform parley_append_entry(p_user, 'reserve', 0, v_hold, p_user, null, p_id, null, null);
        return v_reservation;
      end $$;`);

    // Settles a reservation once: 'finalized' or 'aborted' (by its owner) or 'expired' (by the
    // sweeper, which passes p_skip_locked). The cost is captured from the hold, then from what is
    // available (never from other holds, never below zero); the rest of the hold is released; what
    // cannot be covered is recorded as shortfall. Settling again the same way returns the stored
    // row; settling a reservation already settled another way is a conflict.
    this.addSql(`create function parley_settle(
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
        -- Read under the lock: a concurrent settle of the same reservation has finished by now.
        select * into v_reservation from reservations where id = p_id and user_id = p_user;
        if not found then
          raise exception 'No such streaming session.' using errcode = 'PL404';
        end if;
        -- The sweeper settles only what is still open and past its time; anything else is not its business.
        if p_status = 'expired' and (v_reservation.status <> 'open' or v_reservation.expires_at > now()) then
          return null;
        end if;
        if v_reservation.status = p_status then return v_reservation; end if;
        if v_reservation.status <> 'open' then
          raise exception 'This streaming session was already %.', v_reservation.status
            using errcode = 'PL409', detail = json_build_object('status', v_reservation.status)::text;
        end if;

        v_input := coalesce(p_input, v_reservation.estimated_input_tokens);
        v_cost := parley_cost(v_reservation.input_price_per1k, v_reservation.output_price_per1k, v_input, p_output);
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
                json_build_object('status', p_status, 'success', p_success, 'held', v_reservation.held), now());
        update reservations
           set status = p_status, settled_at = now(), input_tokens = v_input, output_tokens = p_output,
               cost = v_cost, captured = v_captured, shortfall = v_cost - v_captured, success = p_success,
               usage_record_id = v_usage,
               balance_after = (select balance from credit_accounts where user_id = p_user)
         where id = p_id
        returning * into v_reservation;
        return v_reservation;
      end $$;`);

    // A one-off charge without a reservation: captured from what is available, or refused.
    this.addSql(`create function parley_record_usage(
        p_user uuid, p_service text, p_operation text, p_credits bigint, p_model text,
        p_input int, p_output int, p_metadata jsonb,
        out o_usage_record_id uuid, out o_balance bigint)
      language plpgsql as $$
      declare
        v_account credit_accounts := parley_lock_account(p_user);
        v_entry bigint;
      begin
        if p_credits > parley_available(v_account) then
          raise exception 'Not enough credits: % needed, % available.', p_credits, parley_available(v_account)
            using errcode = 'PL402',
                  detail = json_build_object('available', parley_available(v_account), 'required', p_credits)::text;
        end if;
        o_usage_record_id := gen_random_uuid();
        perform parley_consume_grants(p_user, p_credits);
        v_entry := parley_append_entry(p_user, 'capture', -p_credits, 0, p_user, null, null, o_usage_record_id, null);
        insert into usage_records (id, user_id, service, operation, model_id, input_tokens, output_tokens,
                                   credits, shortfall, ledger_entry_id, metadata, created_at)
        values (o_usage_record_id, p_user, p_service, p_operation, p_model, p_input, p_output,
                p_credits, 0, v_entry, p_metadata, now());
        select balance into o_balance from credit_accounts where user_id = p_user;
      end $$;`);
  }

  override down(): void | Promise<void> {
    for (const fn of [
      "parley_record_usage",
      "parley_settle",
      "parley_reserve",
      "parley_admin_move",
      "parley_debit_locked",
      "parley_credit_locked",
      "parley_available",
      "parley_lock_account",
      "parley_expire_due_grants",
      "parley_consume_grants",
      "parley_append_entry",
      "parley_cost",
    ]) {
      this.addSql(`drop function if exists ${fn} cascade;`);
    }
  }
}
