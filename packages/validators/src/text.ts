// What text the database stores as given, for every package that takes text from outside: the
// API's schemas (safeString) and the chat service, which the OpenAI-compatible endpoint reaches
// without them.

/**
 * Text PostgreSQL stores as given: no NUL character (text and jsonb refuse it) and no unpaired
 * UTF-16 surrogate (jsonb refuses it; text would silently turn it into U+FFFD).
 */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

export const NOT_STORABLE_TEXT = "Text must not contain NUL characters or unpaired surrogates.";
