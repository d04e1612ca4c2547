// No Docker engine runs here, so the Dockerfile and compose file are kept honest by checking
// them against the code they deploy.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/node.ts";
import { parleyVariables } from "./parley-variables.ts";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const dockerfile = read("Dockerfile");
const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, { environment?: Record<string, string>; build?: string; depends_on?: object }>;
};
const workspacePackages = [
  ...["apps", "packages"].flatMap((dir) => readdirSync(join(repoRoot, dir)).map((name) => `${dir}/${name}`)),
  "bench",
];

describe("Dockerfile", () => {
  it("copies the manifest of every workspace package before installing", () => {
    for (const pkg of workspacePackages) expect(dockerfile).toContain(`COPY ${pkg}/package.json ${pkg}/`);
  });

  it("pins the same pnpm as the bootstrap script, and starts the real entry point", () => {
    const pinned = /PARLEY_PNPM_VERSION=(\S+)/.exec(read("scripts/toolchain.sh"))?.[1];
    expect(dockerfile.match(/pnpm@(\S+)/g)?.every((m) => m === `pnpm@${pinned}`)).toBe(true);
    const cmd = /CMD \["node", "([^"]+)"\]/.exec(dockerfile)?.[1];
    expect(cmd && existsSync(join(repoRoot, cmd))).toBe(true);
  });

  it("runs on Node 24 and checks readiness", () => {
    expect(dockerfile).toMatch(/FROM node:24-/);
    expect(dockerfile).toContain("/readyz");
  });
});

describe("docker-compose.yml", () => {
  const parley = compose.services.parley;

  it("builds Parley and waits for a healthy PostgreSQL and Redis", () => {
    expect(parley?.build).toBe(".");
    expect(parley?.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
    });
    expect(parley?.environment?.REDIS_URL).toBe("redis://redis:6379");
  });

  it("sets only variables Parley reads, and points DATABASE_URL at the postgres service", () => {
    for (const name of Object.keys(parley?.environment ?? {})) expect(parleyVariables).toContain(name);
    expect(parley?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/parley:.*@postgres:5432\/parley$/);
  });
});
