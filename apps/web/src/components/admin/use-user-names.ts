import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { trpc } from "../../lib/trpc.ts";

export interface UserName {
  displayName: string;
  email: string;
}

/**
 * Names for a set of user ids (reservations carry only the id). Each is looked up once and cached
 * for a while, so a live list that refreshes every two seconds does not ask again.
 */
export function useUserNames(userIds: readonly string[]): ReadonlyMap<string, UserName> {
  const unique = [...new Set(userIds)].sort();
  const results = trpc.useQueries((t) =>
    unique.map((userId) => t.admin.credits.balanceOf({ userId }, { staleTime: 5 * 60_000 })),
  );
  const names = new Map<string, UserName>();
  results.forEach((result, index) => {
    const id = unique[index];
    if (!id) return;
    if (result.data)
      names.set(id, { displayName: result.data.user.displayName, email: result.data.user.email });
    else if (result.isError) names.set(id, { displayName: i18n._(msg`Unknown user`), email: id });
  });
  return names;
}
