// docker-compose.yml checked against the Compose Specification's own JSON schema (vendored, see
// schemas/README.md), and against what the image and Parley expect. No Docker engine runs here.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Compose's interpolation, compared verbatim
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/node.ts";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

interface Service {
  image?: string;
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  env_file?: unknown;
  volumes?: string[];
}
const compose = parse(read("docker-compose.yml")) as { services: Record<string, Service> };
const parley = compose.services.parley as Service;

const ajv = new Ajv({ allErrors: true, strict: false });
// The schema names draft-07 by its https address; Ajv knows that meta-schema by its http one.
ajv.addMetaSchema({ ...draft07, $id: "https://json-schema.org/draft-07/schema" });
const validateCompose = ajv.compile(JSON.parse(read("tests/static/schemas/compose-spec.json")) as object);
const problems = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);

describe("docker-compose.yml against the Compose Specification schema", () => {
  it("is valid", () => {
    const valid = validateCompose(compose);
    expect(problems(validateCompose.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it("would catch a mistake (the schema is really applied)", () => {
    const broken = structuredClone(compose);
    (broken.services.parley as Record<string, unknown>).enviroment = { HOST: "0.0.0.0" };
    (broken.services.redis as Record<string, unknown>).healthcheck = { interval: 5 };
    expect(validateCompose(broken)).toBe(false);
    expect(problems(validateCompose.errors).join("\n")).toMatch(/additional properties/);
  });
});

describe("docker-compose.yml for Parley", () => {
  it("reads an optional .env next to the compose file", () => {
    expect(parley.env_file).toEqual([{ path: ".env", required: false }]);
  });

  it("pins what a copied .env.example must not change inside the container", () => {
    expect(parley.environment).toMatchObject({ HOST: "0.0.0.0", PORT: "3000", DATA_DIR: "/data" });
    expect(parley.ports).toEqual(["${PARLEY_PORT:-3000}:3000"]);
  });

  it("passes every kind of AWS credential, and mounts ~/.aws read-only where the image's user looks", () => {
    for (const name of [
      "AWS_DEFAULT_REGION",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_PROFILE",
    ]) {
      expect(parley.environment?.[name]).toMatch(new RegExp(`^\\$\\{${name}:-`));
    }
    expect(parley.volumes).toContain("${HOME}/.aws:/home/node/.aws:ro");
    // The mount target is the home of the user the image runs as.
    expect(read("Dockerfile")).toMatch(/^USER node$/m);
  });

  it("offers Phoenix under its own profile, with Parley's OTLP endpoint configurable", () => {
    const phoenix = compose.services.phoenix as Service;
    expect(phoenix.image).toMatch(/^arizephoenix\/phoenix:/);
    expect(phoenix.profiles).toEqual(["phoenix"]);
    expect(phoenix.ports).toEqual(["${PHOENIX_PORT:-6006}:6006"]);
    expect(parley.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("${OTEL_EXPORTER_OTLP_ENDPOINT:-}");
    expect(read("docker-compose.yml")).toContain("OTEL_EXPORTER_OTLP_ENDPOINT=http://phoenix:6006");
    // Everything else starts without a profile.
    for (const name of ["postgres", "redis", "parley"])
      expect(compose.services[name]?.profiles).toBeUndefined();
  });
});

const hasCompose = spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0;

// Docker Compose's own parser, where the compose plugin is installed (it needs no Docker engine).
describe.skipIf(!hasCompose)("docker compose config (where Docker Compose is installed)", () => {
  it("accepts the file with and without the phoenix profile, with no .env", () => {
    for (const profile of [[], ["--profile", "phoenix"]]) {
      execFileSync("docker", ["compose", ...profile, "config", "--quiet"], {
        cwd: repoRoot,
        env: { ...process.env, HOME: process.env.HOME ?? "/root" },
      });
    }
  });
});
