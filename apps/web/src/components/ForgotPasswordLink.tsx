import { Trans } from "@lingui/react/macro";
import { Link } from "react-router";
import { trpc } from "../lib/trpc.ts";

/** "Forgot password?" on the sign-in form, when the server can mail reset links. */
export function ForgotPasswordLink() {
  const policy = trpc.auth.registrationMode.useQuery(undefined, { staleTime: 60_000 });
  if (!policy.data?.passwordResetByEmail) return null;
  return (
    <p className="text-right text-sm">
      <Link
        to="/reset-password"
        className="rounded font-medium text-brand-text underline-offset-2 hover:underline"
      >
        <Trans>Forgot password?</Trans>
      </Link>
    </p>
  );
}
