import { Link } from "react-router";
import { formatDateTime } from "../../lib/format.ts";
import { creditsToUsd, formatDuration, formatNumber } from "./format.ts";
import type { Reservation } from "./types.ts";
import { NUM, TABLE, TableScroll, TD, TH } from "./ui.tsx";
import type { UserName } from "./use-user-names.ts";

interface LiveSessionsTableProps {
  sessions: readonly Reservation[];
  modelNames: ReadonlyMap<string, string>;
  /** Names of the users; leave out on a page about a single user (no user column then). */
  userNames?: ReadonlyMap<string, UserName>;
  now: number;
}

/** Open reservations: who is streaming which model, what it holds, and for how long. */
export function LiveSessionsTable({ sessions, modelNames, userNames, now }: LiveSessionsTableProps) {
  return (
    <TableScroll label="Open sessions">
      <table className={TABLE}>
        <thead>
          <tr>
            {userNames && (
              <th scope="col" className={TH}>
                User
              </th>
            )}
            <th scope="col" className={TH}>
              Model
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Held credits
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Estimated tokens
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Age
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Released in
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => {
            const name = userNames?.get(session.userId);
            const expiresIn = session.expiresAt.getTime() - now;
            return (
              <tr key={session.sessionId}>
                {userNames && (
                  <td className={TD}>
                    <Link
                      to={`/admin/users/${session.userId}`}
                      className="font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
                    >
                      {name?.displayName ?? "Loading…"}
                    </Link>
                    {name && <p className="text-xs text-fg-muted">{name.email}</p>}
                  </td>
                )}
                <td className={TD}>
                  <p className="font-medium">{modelNames.get(session.modelId) ?? session.modelId}</p>
                  <p className="font-mono text-xs text-fg-muted">{session.modelId}</p>
                </td>
                <td className={`${TD} ${NUM}`}>
                  <p className="font-medium">{formatNumber(session.held)}</p>
                  <p className="text-xs text-fg-muted">{creditsToUsd(session.held)}</p>
                </td>
                <td className={`${TD} ${NUM} whitespace-nowrap`}>
                  {formatNumber(session.estimatedTokens.input)} in ·{" "}
                  {formatNumber(session.estimatedTokens.output)} out
                </td>
                <td className={`${TD} ${NUM} whitespace-nowrap`}>
                  <time
                    dateTime={session.createdAt.toISOString()}
                    title={`Started ${formatDateTime(session.createdAt)}`}
                  >
                    {formatDuration(now - session.createdAt.getTime())}
                  </time>
                </td>
                <td className={`${TD} ${NUM} whitespace-nowrap text-fg-muted`}>
                  <time dateTime={session.expiresAt.toISOString()} title={formatDateTime(session.expiresAt)}>
                    {expiresIn > 0 ? formatDuration(expiresIn) : "any moment"}
                  </time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
