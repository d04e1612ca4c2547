import { ApiKeySchema } from "./api-key.ts";
import { AuditEventSchema } from "./audit-event.ts";
import { AuthSessionSchema } from "./auth-session.ts";
import { ChatMessageSchema } from "./chat-message.ts";
import { ChatPresetSchema } from "./chat-preset.ts";
import { ChatSessionSchema } from "./chat-session.ts";
import { ChatTurnSchema } from "./chat-turn.ts";
import { CreditAccountSchema } from "./credit-account.ts";
import { CreditGrantSchema } from "./credit-grant.ts";
import { InvitationSchema } from "./invitation.ts";
import { LedgerEntrySchema } from "./ledger-entry.ts";
import { LoginFailureSchema } from "./login-failure.ts";
import { MessageFeedbackSchema } from "./message-feedback.ts";
import { ModelPriceSchema } from "./model-price.ts";
import { OidcLoginAttemptSchema } from "./oidc-login-attempt.ts";
import { PasswordResetSchema } from "./password-reset.ts";
import { ReservationSchema } from "./reservation.ts";
import { UsageRecordSchema } from "./usage-record.ts";
import { UserSchema } from "./user.ts";
import { UserIdentitySchema } from "./user-identity.ts";

export { API_KEY_SCOPES, ApiKey, type ApiKeyScope } from "./api-key.ts";
export {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  type AuditAction,
  AuditEvent,
  type AuditSnapshot,
  type AuditTargetType,
} from "./audit-event.ts";
export { AuthSession } from "./auth-session.ts";
export {
  ChatMessage,
  MESSAGE_ROLES,
  MESSAGE_STATUSES,
  type MessageRole,
  type MessageStatus,
  type StoredToolCall,
} from "./chat-message.ts";
export { ChatPreset } from "./chat-preset.ts";
export { ChatSession } from "./chat-session.ts";
export { ChatTurn, TURN_STATUSES, type TurnStatus } from "./chat-turn.ts";
export { CreditAccount } from "./credit-account.ts";
export { CreditGrant, GRANT_SOURCES, type GrantSource } from "./credit-grant.ts";
export { Invitation } from "./invitation.ts";
export { LEDGER_ENTRY_TYPES, LedgerEntry, type LedgerEntryType } from "./ledger-entry.ts";
export { LoginFailure } from "./login-failure.ts";
export {
  FEEDBACK_RATINGS,
  type FeedbackRating,
  MessageFeedback,
} from "./message-feedback.ts";
export { ModelPrice } from "./model-price.ts";
export { OidcLoginAttempt } from "./oidc-login-attempt.ts";
export { PasswordReset } from "./password-reset.ts";
export { RESERVATION_STATUSES, Reservation, type ReservationStatus } from "./reservation.ts";
export { UsageRecord } from "./usage-record.ts";
export { USER_ROLES, User, type UserRole } from "./user.ts";
export { UserIdentity } from "./user-identity.ts";

/** Every entity schema, registered with the ORM in one place. */
export const entities = [
  UserSchema,
  AuthSessionSchema,
  LoginFailureSchema,
  CreditAccountSchema,
  CreditGrantSchema,
  LedgerEntrySchema,
  ReservationSchema,
  UsageRecordSchema,
  ModelPriceSchema,
  ChatSessionSchema,
  ChatMessageSchema,
  ChatPresetSchema,
  ChatTurnSchema,
  InvitationSchema,
  PasswordResetSchema,
  ApiKeySchema,
  UserIdentitySchema,
  OidcLoginAttemptSchema,
  AuditEventSchema,
  MessageFeedbackSchema,
];
