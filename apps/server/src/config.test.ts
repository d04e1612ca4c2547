import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { workerCount } from "./cluster/messages.ts";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("runs with no configuration at all", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", DATA_DIR: "./data" });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("names every bad variable", () => {
    expect(() => loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ["PORT", "DATABASE_URL", "LOG_LEVEL"]) expect(message).toContain(name);
    }
  });

  it("MODEL_PRICES: prices within what an admin may set, else an error naming the variable", () => {
    const prices = (inputPer1k: number) => JSON.stringify({ m: { inputPer1k, outputPer1k: 1 } });
    expect(loadConfig({ MODEL_PRICES: prices(10_000_000) }).MODEL_PRICES.m?.inputPer1k).toBe(10_000_000);
    // Above it the integer columns would overflow at start-up with a message naming nothing.
    expect(() => loadConfig({ MODEL_PRICES: prices(3_000_000_000) })).toThrow(/MODEL_PRICES/);
  });

  it("limits attachments by default to Bedrock's image size, five a message, unsent for a day", () => {
    expect(loadConfig({})).toMatchObject({
      ATTACHMENT_MAX_BYTES: 3_750_000,
      ATTACHMENTS_MAX_PER_MESSAGE: 5,
      ATTACHMENT_UNSENT_TTL_SECONDS: 86_400,
    });
    expect(() => loadConfig({ ATTACHMENT_MAX_BYTES: "5000000" })).toThrow(/ATTACHMENT_MAX_BYTES/);
    expect(() => loadConfig({ ATTACHMENTS_MAX_PER_MESSAGE: "0" })).toThrow(/ATTACHMENTS_MAX_PER_MESSAGE/);
  });

  it("requires ADMIN_EMAIL and ADMIN_PASSWORD together", () => {
    expect(() => loadConfig({ ADMIN_EMAIL: "a@example.com" })).toThrow(/ADMIN_PASSWORD/);
  });

  it("PARLEY_WORKERS: every core with REDIS_URL, one without; more than one needs REDIS_URL", () => {
    const redis = { REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgres://db/parley" };
    expect(workerCount(loadConfig({}))).toBe(1);
    expect(workerCount(loadConfig({ PARLEY_WORKERS: "" }))).toBe(1);
    expect(workerCount(loadConfig(redis))).toBe(availableParallelism());
    expect(workerCount(loadConfig({ ...redis, PARLEY_WORKERS: "3" }))).toBe(3);
    expect(workerCount(loadConfig({ PARLEY_WORKERS: "1" }))).toBe(1);
    expect(() => loadConfig({ PARLEY_WORKERS: "2" })).toThrow(/PARLEY_WORKERS: .*needs REDIS_URL/);
    expect(workerCount(loadConfig({ REDIS_URL: redis.REDIS_URL }))).toBe(1); // the embedded database
    expect(() => loadConfig({ REDIS_URL: redis.REDIS_URL, PARLEY_WORKERS: "2" })).toThrow(
      /PARLEY_WORKERS: .*needs DATABASE_URL/,
    );
    for (const bad of ["0", "-1", "1.5", "many", "257"]) {
      expect(() => loadConfig({ ...redis, PARLEY_WORKERS: bad })).toThrow(/PARLEY_WORKERS/);
    }
  });

  it("parses lists and flags", () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: "https://a.example, https://b.example",
      TRUST_PROXY: "yes",
    });
    expect(config.ALLOWED_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
    expect(config.TRUST_PROXY).toBe(true);
  });

  it("reads the registration and mail settings", () => {
    const config = loadConfig({
      REGISTRATION: "closed",
      REGISTRATION_EMAIL_DOMAINS: " Example.org, @corp.example ,",
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
    });
    expect(config).toMatchObject({
      REGISTRATION: "closed",
      REGISTRATION_EMAIL_DOMAINS: ["example.org", "corp.example"],
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
      SMTP_FROM: "Parley <parley@localhost>",
    });
    // Empty means "decide from demo mode" (see accounts.ts).
    expect(loadConfig({ REGISTRATION: "" }).REGISTRATION).toBeUndefined();
    expect(() => loadConfig({ REGISTRATION: "sometimes" })).toThrow(/REGISTRATION/);
    expect(() => loadConfig({ REGISTRATION_EMAIL_DOMAINS: "not a domain" })).toThrow(
      /REGISTRATION_EMAIL_DOMAINS/,
    );
    expect(() => loadConfig({ SMTP_URL: "http://mail.example.com" })).toThrow(/SMTP_URL/);
  });

  it("PANEL defaults to admin; JWT_ACCESS_SECRET is optional but never short", () => {
    expect(loadConfig({}).PANEL).toBe("admin");
    expect(loadConfig({}).JWT_ACCESS_SECRET).toBeUndefined();
    expect(loadConfig({ PANEL: "off", JWT_ACCESS_SECRET: "" })).toMatchObject({ PANEL: "off" });
    expect(() => loadConfig({ PANEL: "everyone" })).toThrow(/PANEL/);
    expect(() => loadConfig({ JWT_ACCESS_SECRET: "short" })).toThrow(/JWT_ACCESS_SECRET/);
  });
});

describe("single sign-on settings", () => {
  const oidc = {
    OIDC_ISSUER: "https://id.example.com/realms/main",
    OIDC_CLIENT_ID: "parley",
    OIDC_CLIENT_SECRET: "secret",
  };

  it("is off by default, with the button called SSO", () => {
    const config = loadConfig({});
    expect(config.OIDC_ISSUER).toBeUndefined();
    expect(config.OIDC_DISPLAY_NAME).toBe("SSO");
    expect(config.OIDC_ROLE_MAP).toEqual({});
  });

  it("needs the issuer, client id and secret together", () => {
    expect(() => loadConfig(oidc)).not.toThrow();
    expect(() => loadConfig({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(
      /OIDC_CLIENT_ID[\s\S]*OIDC_CLIENT_SECRET/,
    );
    expect(() => loadConfig({ ...oidc, OIDC_CLIENT_SECRET: "" })).toThrow(/OIDC_CLIENT_SECRET/);
  });

  it("allows plain http only for a provider on a loopback address", () => {
    expect(() => loadConfig({ ...oidc, OIDC_ISSUER: "http://127.0.0.1:8080" })).not.toThrow();
    expect(() => loadConfig({ ...oidc, OIDC_ISSUER: "http://localhost:8080/realms/x" })).not.toThrow();
    expect(() => loadConfig({ ...oidc, OIDC_ISSUER: "http://id.example.com" })).toThrow(/OIDC_ISSUER/);
  });

  it("parses the role map and refuses unknown roles", () => {
    const config = loadConfig({
      ...oidc,
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: '{"staff":"supervisor"}',
    });
    expect(config.OIDC_ROLE_MAP).toEqual({ staff: "supervisor" });
    expect(() => loadConfig({ OIDC_ROLE_MAP: '{"staff":"owner"}' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => loadConfig({ OIDC_ROLE_MAP: "groups=admin" })).toThrow(/OIDC_ROLE_MAP/);
  });
});
