import type { RegistrationPolicy } from "../registration.ts";

/**
 * Whether single sign-on may create an account for a (verified) e-mail with no account yet: only
 * when anyone may register without an invitation (`REGISTRATION=open`), within the e-mail domain
 * allow-list. Otherwise an admin creates the account or sends an invitation, and the first SSO
 * sign-in links to it by that verified e-mail.
 */
export function ssoAccountCreation(policy: RegistrationPolicy): (email: string) => boolean {
  return (email) => {
    if (policy.mode !== "open") return false;
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
    return policy.emailDomains.length === 0 || policy.emailDomains.includes(domain);
  };
}
