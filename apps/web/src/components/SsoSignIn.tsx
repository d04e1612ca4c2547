import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { KeyRound } from "lucide-react";
import { useSearchParams } from "react-router";
import { safeNextPath } from "../lib/safe-redirect.ts";
import { trpc } from "../lib/trpc.ts";
import { Alert } from "./ui/Alert.tsx";
import { ButtonLink } from "./ui/Button.tsx";

const SSO_FAILED = msg`The sign-in provider's answer could not be checked. Please try again.`;

/** What the server's `sso_error` reasons mean to the person who just tried. */
const SSO_ERRORS: Record<string, MessageDescriptor> = {
  sso_not_configured: msg`Single sign-on is not set up on this server.`,
  sso_unavailable: msg`The sign-in provider could not be reached. Try again in a moment.`,
  sso_failed: SSO_FAILED,
  sso_denied: msg`The sign-in provider did not let you in.`,
  sso_too_many_attempts: msg`Too many sign-ins were started from your network. Try again in a few minutes.`,
  sso_state_mismatch: msg`This sign-in expired or was started in another browser. Please try again.`,
  sso_nonce_mismatch: msg`The sign-in provider's answer belonged to another sign-in. Please try again.`,
  sso_email_missing: msg`The sign-in provider did not share your e-mail address.`,
  sso_email_unverified: msg`The sign-in provider has not verified your e-mail address, so it cannot be linked to an account.`,
  sso_account_conflict: msg`Your e-mail's account is already linked to a different account at the provider.`,
  sso_account_deactivated: msg`This account has been deactivated.`,
  sso_registration_closed: msg`No account here uses your e-mail address, and this server does not create one at sign-in. Ask an administrator for an invitation.`,
};

/** The sign-in page's "Sign in with …" buttons, and why the last single sign-on failed. */
export function SsoSignIn() {
  const { t } = useLingui();
  const [params] = useSearchParams();
  const providers = trpc.auth.ssoProviders.useQuery(undefined, { staleTime: Number.POSITIVE_INFINITY });
  const error = params.get("sso_error");
  const next = safeNextPath(params.get("next"));
  const list = providers.data ?? [];
  if (!error && list.length === 0) return null;

  return (
    <div className="mt-6 space-y-4">
      {error && <Alert title={t`Single sign-on failed`}>{t(SSO_ERRORS[error] ?? SSO_FAILED)}</Alert>}
      {list.length > 0 && (
        <div className="flex items-center gap-3 text-xs text-fg-muted" aria-hidden="true">
          <span className="h-px flex-1 bg-border" />
          <Trans>or</Trans>
          <span className="h-px flex-1 bg-border" />
        </div>
      )}
      {list.map((provider) => {
        const providerName = provider.displayName;
        return (
          <ButtonLink
            key={provider.id}
            // The start URL is a server route that redirects to the provider: a full page load.
            reloadDocument
            to={next === "/" ? provider.startUrl : `${provider.startUrl}?${new URLSearchParams({ next })}`}
            variant="secondary"
            className="h-11 w-full"
          >
            <KeyRound aria-hidden="true" className="size-4" />
            <Trans>Sign in with {providerName}</Trans>
          </ButtonLink>
        );
      })}
    </div>
  );
}
