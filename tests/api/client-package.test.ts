// @parley/client as an outside developer gets it: packed, installed into a separate project
// (examples/node-consumer, not in the workspace), type-checked with TypeScript 5.9 under `bundler`
// and `node16` resolution, compiled to JavaScript and run on plain Node against a live server.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { startChatTestServer } from "../support/chat.ts";
import type { TestServer } from "../support/server.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const clientDir = join(root, "packages", "client");
const consumerDir = join(root, "examples", "node-consumer");
const bin = (dir: string, name: string) => join(dir, "node_modules", ".bin", name);

/**
 * The environment for a child command, without the `npm_*` variables a surrounding `npm test` or
 * `pnpm exec` sets (they describe the Parley workspace, not the project the child works in).
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, ...extra };
}

/** Runs a command; on failure the error carries its output, so the test report shows why. */
async function sh(file: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return await run(file, args, { cwd, env: childEnv(env), maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

let server: TestServer;
let closeServer: () => Promise<void>;
let packDir: string;
let tarball: string;

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), "parley-client-pack-"));
  // `prepack` builds dist/ (tsdown) before packing.
  const [chat] = await Promise.all([
    startChatTestServer(),
    sh("pnpm", ["pack", "--pack-destination", packDir], clientDir),
  ]);
  server = chat.server;
  closeServer = chat.close;
  const [file] = (await readdir(packDir)).filter((name) => name.endsWith(".tgz"));
  if (!file) throw new Error("pnpm pack wrote no tarball");
  tarball = join(packDir, file);

  // The consumer's node_modules is kept between runs (fast); the client itself is always
  // reinstalled from this run's tarball.
  await rm(join(consumerDir, "node_modules", "@parley"), { recursive: true, force: true });
  await sh(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--no-save", tarball],
    consumerDir,
  );
}, 300_000);

afterAll(async () => {
  await closeServer?.();
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

describe("@parley/client as a published package", () => {
  it("installs the build just packed: ESM JS and one bundled .d.ts importing only its dependencies", async () => {
    const installed = join(consumerDir, "node_modules", "@parley", "client");
    const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8"));
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect(manifest.peerDependencies).toEqual({ "@trpc/server": "11.19.0" });
    expect(manifest.sideEffects).toBe(false);
    expect((await readdir(join(installed, "dist"))).sort()).toEqual(["index.d.ts", "index.js"]);
    expect(await readFile(join(installed, "dist", "index.js"), "utf8")).toBe(
      await readFile(join(clientDir, "dist", "index.js"), "utf8"),
    );

    const declaration = await readFile(join(installed, "dist", "index.d.ts"), "utf8");
    const imported = [...declaration.matchAll(/from "([^"]+)"|import\("([^"]+)"\)/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect(new Set(imported)).toEqual(new Set(["@trpc/client", "@trpc/server"]));
    // Nothing of the server: no request context, ORM, model library or workspace package.
    expect(declaration).not.toMatch(/mikro-orm|langchain|EntityManager|ChatService|@parley\/|Context\b/);
  });

  it("has no problems according to @arethetypeswrong/cli", async () => {
    await sh(bin(clientDir, "attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], clientDir);
  }, 120_000);

  it("type-checks in a TypeScript 5.9 project under bundler and node16 resolution", async () => {
    // The README's example is one of the consumer's files, so it compiles as documented.
    const readme = await readFile(join(clientDir, "README.md"), "utf8");
    const example = readme.match(/```ts\n(import \{ createParleyClient[\s\S]*?)```/)?.[1];
    expect(example).toBe(await readFile(join(consumerDir, "src", "readme-example.ts"), "utf8"));
    await sh(bin(consumerDir, "tsc"), ["-p", "tsconfig.bundler.json"], consumerDir);
    await sh(bin(consumerDir, "tsc"), ["-p", "tsconfig.node16.json"], consumerDir);
  }, 120_000);

  it("runs on plain Node: signs in with an API key, reads the balance, streams an answer, regenerates it, typed errors", async () => {
    const { user: account } = await fundedUser(server, 1_000_000);
    const { secret } = await account.client.auth.apiKeys.create.mutate({
      name: "node consumer",
      scopes: ["chat", "accounting"],
    });
    // Compiled JavaScript on Node, no type stripping (the previous test emitted dist/).
    const { stdout } = await sh(process.execPath, ["dist/main.js"], consumerDir, {
      PARLEY_URL: server.url,
      PARLEY_API_KEY: secret,
    });
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    expect(result).toMatchObject({
      userId: account.user.id,
      role: "user",
      joinedIsDate: true,
      available: 1_000_000,
      wrongType: "number",
      refusal: 'FORBIDDEN: This API key lacks the "admin" scope.',
      settings: { systemPrompt: "Answer briefly.", temperature: 0.2, maxTokens: 200 },
      preset: { mine: true, names: ["Brief"] },
    });
    expect(result.answer.status).toBe("complete");
    expect(result.answer.streamed.length).toBeGreaterThan(0);
    expect(result.answer.streamed).toBe(result.answer.content);
    expect(result.answer.charged).toBeGreaterThan(0);
    // sessions.regenerate and sessions.switchBranch, typed through the client.
    expect(result.branches).toEqual({ versions: 2, back: true });
  }, 60_000);
});
