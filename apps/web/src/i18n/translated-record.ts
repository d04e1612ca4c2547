import { i18n, type MessageDescriptor } from "@lingui/core";

/**
 * A record of labels read through getters, so each label comes out in the language active when it
 * is shown rather than the one active when its module loaded. For label maps that many screens
 * read as plain strings (`LABELS[key]`).
 */
export function translatedRecord<K extends string>(
  messages: Record<K, MessageDescriptor>,
): Record<K, string> {
  const record = {} as Record<K, string>;
  for (const key of Object.keys(messages) as K[]) {
    Object.defineProperty(record, key, { enumerable: true, get: () => i18n._(messages[key]) });
  }
  return record;
}
