import { AuthSessionSchema } from "./auth-session.ts";
import { LoginFailureSchema } from "./login-failure.ts";
import { UserSchema } from "./user.ts";

export { AuthSession } from "./auth-session.ts";
export { LoginFailure } from "./login-failure.ts";
export { USER_ROLES, User, type UserRole } from "./user.ts";

/** Every entity schema, registered with the ORM in one place. */
export const entities = [UserSchema, AuthSessionSchema, LoginFailureSchema];
