export * from "./admin-users.ts";
export * from "./external-tokens.ts";
export * from "./login-throttle.ts";
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordWeakness } from "./password.ts";
export * from "./public-user.ts";
export * from "./sessions.ts";
export * from "./sso/index.ts";
export * from "./users.ts";
