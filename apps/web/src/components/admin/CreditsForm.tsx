import { i18n, type MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_CREDITS, MAX_EXPIRY_DAYS, MAX_NOTES_LENGTH } from "@parley/validators";
import { type FormEvent, useState } from "react";
import { type FormErrors, isTrpcError, toFormErrors } from "../../lib/errors.ts";
import { formatNumber, formatSigned, formatUsd, parseWholeNumber } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { ConfirmDialog } from "../ui/Dialog.tsx";
import { Segmented } from "../ui/SelectField.tsx";
import { TextField } from "../ui/TextField.tsx";
import type { AccountBalance } from "./types.ts";

type Action = "allocate" | "adjust" | "set" | "remove";
type Field = "amount" | "expiryDays" | "notes";
/** What the API calls the amount, per action; its errors are shown on the one amount input. */
const API_FIELDS = ["credits", "adjustment", "expiryDays", "notes"] as const;

const ACTIONS: readonly { value: Action; label: MessageDescriptor }[] = [
  { value: "allocate", label: msg`Allocate` },
  { value: "adjust", label: msg`Adjust` },
  { value: "set", label: msg`Set balance` },
  { value: "remove", label: msg`Remove` },
];

const COPY: Record<
  Action,
  { amountLabel: MessageDescriptor; hint: MessageDescriptor; submit: MessageDescriptor; expiry: boolean }
> = {
  allocate: {
    amountLabel: msg`Credits to add`,
    hint: msg`Added as a new grant.`,
    submit: msg`Allocate credits`,
    expiry: true,
  },
  adjust: {
    amountLabel: msg`Adjustment`,
    hint: msg`A signed correction: 500 adds, −500 takes away.`,
    submit: msg`Apply adjustment`,
    expiry: true,
  },
  set: {
    amountLabel: msg`New balance`,
    hint: msg`The balance becomes exactly this.`,
    submit: msg`Set balance`,
    expiry: true,
  },
  remove: {
    amountLabel: msg`Credits to remove`,
    hint: msg`Taken from what is available; credits held by running requests stay.`,
    submit: msg`Remove credits`,
    expiry: false,
  },
};

interface Movement {
  action: Action;
  amount: number;
  expiryDays: number | undefined;
  notes: string | undefined;
}

interface CreditsFormProps {
  userId: string;
  userName: string;
  account: AccountBalance;
}

/** Allocate, adjust, set or remove a user's credits, with notes and expiry for the audit trail. */
export function CreditsForm({ userId, userName, account }: CreditsFormProps) {
  const { t } = useLingui();
  const utils = trpc.useUtils();
  const [action, setAction] = useState<Action>("allocate");
  const [amount, setAmount] = useState("");
  const [expiryDays, setExpiryDays] = useState("");
  const [notes, setNotes] = useState("");
  const [pending, setPending] = useState<Movement | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { formRef, errors, report, clear, clearField } = useFormErrors<Field>();

  const onSuccess = async (
    balance: { balance: number; held: number; available: number },
    movement: Movement,
  ) => {
    await Promise.all([
      utils.admin.credits.balanceOf.invalidate({ userId }),
      utils.admin.credits.historyOf.invalidate({ userId }),
      utils.admin.credits.grantsOf.invalidate({ userId }),
    ]);
    setPending(null);
    setAmount("");
    setExpiryDays("");
    setNotes("");
    const balanceShown = formatNumber(balance.balance);
    const availableShown = formatNumber(balance.available);
    setDone(
      `${describe(movement)} ${t`${userName}'s balance is now ${balanceShown} credits (${availableShown} available).`}`,
    );
  };
  const onError = (error: unknown) => {
    setPending(null);
    report(withDetail(toAmountErrors(toFormErrors(error, API_FIELDS)), error, account));
  };

  const allocate = trpc.admin.credits.allocate.useMutation();
  const adjust = trpc.admin.credits.adjust.useMutation();
  const set = trpc.admin.credits.set.useMutation();
  const remove = trpc.admin.credits.remove.useMutation();
  const busy = allocate.isPending || adjust.isPending || set.isPending || remove.isPending;

  const run = (movement: Movement) => {
    const common = {
      userId,
      ...(movement.notes ? { notes: movement.notes } : {}),
    };
    const expiry = movement.expiryDays ? { expiryDays: movement.expiryDays } : {};
    const callbacks = {
      onSuccess: (balance: AccountBalanceFigures) => onSuccess(balance, movement),
      onError,
    };
    switch (movement.action) {
      case "allocate":
        return allocate.mutate({ ...common, ...expiry, credits: movement.amount }, callbacks);
      case "adjust":
        return adjust.mutate(
          { ...common, ...(movement.amount > 0 ? expiry : {}), adjustment: movement.amount },
          callbacks,
        );
      case "set":
        return set.mutate({ ...common, ...expiry, credits: movement.amount }, callbacks);
      case "remove":
        return remove.mutate({ ...common, credits: movement.amount }, callbacks);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(null);
    const { problems, movement } = validate(action, amount, expiryDays, notes);
    if (!movement) return report(problems);
    clear();
    if (isDestructive(movement, account.balance)) setPending(movement);
    else run(movement);
  };

  const copy = COPY[action];
  const parsed = parseWholeNumber(amount);
  const parsedCredits = parsed === null ? "" : formatSigned(parsed).replace(/^\+/, "");
  const parsedUsd = parsed === null ? "" : formatUsd(Math.abs(parsed));
  const availableNow = formatNumber(account.available);
  const amountHint = [
    t(copy.hint),
    parsed !== null && parsed !== 0 ? t`${parsedCredits} credits = ${parsedUsd}.` : "",
    action === "remove" ? t`${availableNow} available.` : "",
  ]
    .filter(Boolean)
    .join(" ");

  const pendingNotes = pending?.notes;
  return (
    <>
      <form
        ref={formRef}
        noValidate
        onSubmit={onSubmit}
        onChange={(event) => {
          if (event.target instanceof HTMLInputElement) clearField(event.target.name);
        }}
        className="space-y-5"
      >
        <Segmented
          legend={t`Action`}
          name="credit-action"
          value={action}
          options={ACTIONS.map((option) => ({ value: option.value, label: t(option.label) }))}
          onChange={(next) => {
            setAction(next);
            clear();
            setDone(null);
          }}
        />
        {errors.message && <Alert title={t`Credits not changed`}>{errors.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t(copy.amountLabel)}
            name="amount"
            inputMode={action === "adjust" ? "text" : "numeric"}
            autoComplete="off"
            placeholder={action === "adjust" ? t`e.g. 500 or -500` : t`e.g. 1000`}
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            hint={amountHint}
            error={errors.fields.amount}
          />
          {copy.expiry && (
            <TextField
              label={t`Expires after (days)`}
              name="expiryDays"
              inputMode="numeric"
              autoComplete="off"
              optional
              value={expiryDays}
              onChange={(event) => setExpiryDays(event.target.value)}
              hint={
                action === "adjust"
                  ? t`For a positive adjustment. Empty: never expires.`
                  : t`Empty: the credits never expire.`
              }
              error={errors.fields.expiryDays}
            />
          )}
        </div>
        <TextField
          label={t`Notes`}
          name="notes"
          autoComplete="off"
          optional
          maxLength={MAX_NOTES_LENGTH}
          placeholder={t`Why, for the ledger (e.g. ticket number)`}
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          error={errors.fields.notes}
        />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
            {done}
          </p>
          <Button type="submit" loading={busy} variant={action === "remove" ? "danger" : "primary"}>
            {t(copy.submit)}
          </Button>
        </div>
      </form>

      {pending && (
        <ConfirmDialog
          title={confirmTitle(pending)}
          confirmLabel={t(COPY[pending.action].submit)}
          pending={busy}
          onCancel={() => setPending(null)}
          onConfirm={() => run(pending)}
        >
          {confirmText(pending, userName, account)}
          {pending.notes && (
            <span className="mt-2 block">
              <Trans>
                Notes: <span className="text-fg">{pendingNotes}</span>
              </Trans>
            </span>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

type AccountBalanceFigures = { balance: number; held: number; available: number };

function validate(
  action: Action,
  amountText: string,
  expiryText: string,
  notesText: string,
): { problems: FormErrors<Field>; movement: Movement | null } {
  const fields: Partial<Record<Field, string>> = {};
  const amount = parseWholeNumber(amountText);
  const maxCredits = formatNumber(MAX_CREDITS);
  const maxDays = formatNumber(MAX_EXPIRY_DAYS);
  if (!amountText.trim()) fields.amount = i18n._(msg`Enter a number of credits.`);
  else if (amount === null) fields.amount = i18n._(msg`Enter a whole number of credits.`);
  else if (Math.abs(amount) > MAX_CREDITS) fields.amount = i18n._(msg`At most ${maxCredits} credits.`);
  else if (action === "adjust" && amount === 0) fields.amount = i18n._(msg`The adjustment can't be zero.`);
  else if (action === "set" && amount < 0) fields.amount = i18n._(msg`A balance can't be negative.`);
  else if ((action === "allocate" || action === "remove") && amount <= 0)
    fields.amount = i18n._(msg`Enter a positive number.`);

  let expiryDays: number | undefined;
  if (COPY[action].expiry && expiryText.trim()) {
    const days = parseWholeNumber(expiryText);
    if (days === null || days < 1 || days > MAX_EXPIRY_DAYS) {
      fields.expiryDays = i18n._(msg`Enter a whole number of days from 1 to ${maxDays}, or leave it empty.`);
    } else expiryDays = days;
  }
  const notes = notesText.trim();
  if (notes.length > MAX_NOTES_LENGTH)
    fields.notes = i18n._(msg`Notes can be at most ${MAX_NOTES_LENGTH} characters.`);

  const problems = { fields, message: null };
  if (Object.keys(fields).length > 0 || amount === null) return { problems, movement: null };
  return { problems, movement: { action, amount, expiryDays, notes: notes || undefined } };
}

/** Taking credits away asks first: removals, negative adjustments, and setting a lower balance. */
function isDestructive(movement: Movement, balance: number): boolean {
  if (movement.action === "remove") return true;
  if (movement.action === "adjust") return movement.amount < 0;
  if (movement.action === "set") return movement.amount < balance;
  return false;
}

function confirmTitle(movement: Movement): string {
  if (movement.action === "set") return i18n._(msg`Lower the balance?`);
  return i18n._(msg`Take credits away?`);
}

function confirmText(movement: Movement, name: string, account: AccountBalance): string {
  if (movement.action === "set") {
    const newBalance = formatNumber(movement.amount);
    const takenAway = formatNumber(account.balance - movement.amount);
    const balance = formatNumber(account.balance);
    return i18n._(
      msg`Set ${name}'s balance to ${newBalance} credits? That takes away ${takenAway} of their ${balance} credits.`,
    );
  }
  const taken = formatNumber(Math.abs(movement.amount));
  const takenUsd = formatUsd(Math.abs(movement.amount));
  const available = formatNumber(account.available);
  return i18n._(
    msg`Remove ${taken} credits (${takenUsd}) from ${name}? They have ${available} available now.`,
  );
}

function describe(movement: Movement): string {
  const amount = formatNumber(movement.amount);
  const signed = formatSigned(movement.amount);
  switch (movement.action) {
    case "allocate":
      return i18n._(msg`Added ${amount} credits.`);
    case "adjust":
      return i18n._(msg`Adjusted by ${signed} credits.`);
    case "set":
      return i18n._(msg`Balance set to ${amount} credits.`);
    case "remove":
      return i18n._(msg`Removed ${amount} credits.`);
  }
}

/**
 * The ledger's refusals carry figures in data.detail (what is available, what is held); they are
 * restated with thousands separators, which the raw message lacks.
 */
function withDetail(errors: FormErrors<Field>, error: unknown, account: AccountBalance): FormErrors<Field> {
  const detail = isTrpcError(error) ? error.data?.detail : null;
  if (!detail || !errors.fields.amount) return errors;
  const { available, held } = detail;
  let amount = errors.fields.amount;
  if (typeof available === "number") {
    const heldCount = formatNumber(account.held);
    const availableCount = formatNumber(available);
    const heldNow =
      account.held > 0 ? ` ${i18n._(msg`${heldCount} more are held by running requests.`)}` : "";
    amount = `${i18n._(msg`Only ${availableCount} credits are available to remove.`)}${heldNow}`;
  } else if (typeof held === "number") {
    const heldCount = formatNumber(held);
    amount = i18n._(
      msg`${heldCount} credits are held by running requests; the balance can't be set below that.`,
    );
  }
  return { ...errors, fields: { ...errors.fields, amount } };
}

/** The API names the amount "credits" or "adjustment"; the form has one amount input for both. */
function toAmountErrors(errors: FormErrors<(typeof API_FIELDS)[number]>): FormErrors<Field> {
  const { credits, adjustment, ...rest } = errors.fields;
  const amount = credits ?? adjustment;
  return { fields: { ...rest, ...(amount ? { amount } : {}) }, message: errors.message };
}
