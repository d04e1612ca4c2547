import { DomainError } from "@parley/core";
import type { EntityManager } from "@parley/db";
import { claimInvitation, markInvitationUsedBy } from "./invitations.ts";
import type { PublicUser } from "./public-user.ts";
import { type NewUser, registerUser } from "./users.ts";

export const REGISTRATION_MODES = ["open", "invite", "closed"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/** Who may create their own account (REGISTRATION, REGISTRATION_EMAIL_DOMAINS). */
export interface RegistrationPolicy {
  mode: RegistrationMode;
  /** Lower-case domains self-registration is limited to; empty: any. */
  emailDomains: string[];
}

/**
 * Self-registration under the operator's policy: `open` lets anyone in (an invitation, if given,
 * must be valid and sets the role), `invite` needs an unused invitation, `closed` lets nobody in
 * (admins create accounts). The e-mail domain allow-list applies in every mode.
 */
export async function registerUnderPolicy(
  em: EntityManager,
  policy: RegistrationPolicy,
  input: Omit<NewUser, "role"> & { invitationToken?: string | undefined },
): Promise<PublicUser> {
  if (policy.mode === "closed") {
    throw new DomainError("FORBIDDEN", "Registration is closed. Ask an administrator for an account.");
  }
  const email = input.email.toLowerCase();
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (policy.emailDomains.length > 0 && !policy.emailDomains.includes(domain)) {
    throw new DomainError(
      "FORBIDDEN",
      `Registration is limited to addresses at ${policy.emailDomains.join(", ")}.`,
      { field: "email" },
    );
  }
  const { invitationToken, ...newUser } = input;
  if (!invitationToken) {
    if (policy.mode === "invite") {
      throw new DomainError(
        "FORBIDDEN",
        "Registration is by invitation only. Ask an administrator for a link.",
      );
    }
    return registerUser(em, newUser);
  }
  return em.transactional(async (tx) => {
    const invitation = await claimInvitation(tx, invitationToken, email);
    const user = await registerUser(tx, { ...newUser, role: invitation.role });
    await markInvitationUsedBy(tx, invitation.id, user.id);
    return user;
  });
}
