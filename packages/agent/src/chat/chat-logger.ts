/** The logger the chat needs (pino's shape), so the package does not depend on a logging library. */
export interface ChatLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
