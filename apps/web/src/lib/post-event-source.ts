// What `sessions.sendAndStream` needs beyond the first screen, loaded apart from it
// (see send-and-stream-link.ts): a fetch-based EventSource, and the move of its input into a POST.
export { withInputInBody } from "@parley/client";
export { EventSource } from "eventsource";
