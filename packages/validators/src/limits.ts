// The limits the server enforces on input, in one place: the API's schemas, the domain packages
// and the SPA's forms all read them from here, so a form never re-types a limit the server holds.
// Plain constants (no schema library): the SPA imports them without pulling a validator into its
// bundle. This package sits at the bottom of the workspace and imports nothing.

/** Credits are whole numbers far below 2^53 (JavaScript's exact-integer limit). */
export const MAX_CREDITS = 1_000_000_000_000;

/** 1 credit = US$0.00001, i.e. 100,000 credits to the dollar. */
export const CREDITS_PER_USD = 100_000;

/** Days a grant may run before it expires. */
export const MAX_EXPIRY_DAYS = 3650;

/** Notes on a grant or an adjustment. */
export const MAX_NOTES_LENGTH = 500;

/** One chat message's text. */
export const MAX_MESSAGE_LENGTH = 100_000;

/** A chat's title, and a chat search term. */
export const MAX_SESSION_TITLE_LENGTH = 200;

/** The optional comment on a thumbs up or down. */
export const MAX_FEEDBACK_COMMENT_LENGTH = 1000;

export const MIN_USERNAME_LENGTH = 3;
export const MAX_USERNAME_LENGTH = 32;
/** Letters, digits, '.', '_' and '-'. */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

export const MAX_DISPLAY_NAME_LENGTH = 80;

/** An email address (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** The server also judges strength (common passwords, containing the username or email). */
export const MIN_PASSWORD_LENGTH = 10;
/** Caps the work of the password hasher. */
export const MAX_PASSWORD_LENGTH = 200;

export const MAX_API_KEY_NAME_LENGTH = 100;

/** A model's price, in whole credits per 1,000 tokens. */
export const MAX_PRICE_PER_1K = 10_000_000;

/** A model's prompt-cache price (read or write), in whole credits per million tokens (an int column). */
export const MAX_CACHE_PRICE_PER_1M = 2_000_000_000;

/** A chat's (or a preset's) own instructions, in characters. */
export const MAX_SYSTEM_PROMPT_LENGTH = 8000;

/** A chat's temperature: Bedrock's range for Claude. */
export const MIN_TEMPERATURE = 0;
export const MAX_TEMPERATURE = 1;

/** A preset's name. */
export const MAX_PRESET_NAME_LENGTH = 100;

/** A model id. */
export const MAX_MODEL_ID_LENGTH = 200;

/** A custom reporting period, in days. */
export const MAX_PERIOD_DAYS = 366;
