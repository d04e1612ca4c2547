import type { ChatEvent, SequencedEvent } from "./events.ts";
import { FINISHED_RETENTION_MS } from "./turn-bus.ts";

// How a turn's events lie in Redis, for the bus's writer (redis-turn-outbox.ts) and its readers.

/** One Redis Stream per turn. */
export const streamKey = (turnId: string) => `parley:turn:${turnId}`;
export const turnIdOfKey = (key: string) => key.slice(streamKey("").length);

/** Far more events than the longest answer makes; the stream is trimmed beyond that. */
export const MAX_EVENTS = 50_000;
/** A running turn's stream outlives a crashed owner by this much. */
export const RUNNING_TTL_SECONDS = 3600;
/** A finished turn's stream stays replayable for as long as the in-memory one. */
export const FINISHED_TTL_SECONDS = Math.ceil(FINISHED_RETENTION_MS / 1000) + 30;

/** Entry ids are `0-<seq>`: the owner numbers its turn's events, so ids mean the same everywhere. */
export const entryId = (seq: number) => `0-${seq}`;
const seqOf = (id: string) => Number(id.slice(id.indexOf("-") + 1));

/** XRANGE / XREAD entries: the event's JSON is field `e`, the owner's clock when sent field `t`. */
export type StreamEntries = [id: string, fields: string[]][];

export function toEvents(entries: StreamEntries): SequencedEvent[] {
  const events: SequencedEvent[] = [];
  for (const [id, fields] of entries) {
    const json = fields[fields.indexOf("e") + 1];
    if (json) events.push({ seq: seqOf(id), event: JSON.parse(json) as ChatEvent });
  }
  return events;
}
