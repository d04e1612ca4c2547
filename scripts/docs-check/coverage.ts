// What the code offers that the docs must name: procedures, HTTP paths, tables and columns, and
// environment variables. Each miss is one line saying exactly what to add where.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { appRouter } from "@parley/api";
import { describeEntities } from "@parley/db";
import { configSchema } from "../../apps/server/src/config.ts";
import { OIDC_CALLBACK_PATH, OIDC_START_PATH } from "../../apps/server/src/http/sso-routes.ts";
import { REST_ROUTES } from "../../apps/server/src/rest/routes.ts";

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `name` written as code: in backticks, whole. */
const mentionsCode = (text: string, name: string) => new RegExp(`\`${literal(name)}\``).test(text);

/** Paths the server answers besides the REST table (tRPC is covered procedure by procedure). */
export function otherHttpPaths(): string[] {
  return [
    "GET /v1/models",
    "POST /v1/chat/completions",
    "GET /api/health",
    "GET /api/openapi.json",
    "GET /api/docs",
    "GET /panel",
    "GET /metrics",
    "GET /healthz",
    "GET /readyz",
    `GET ${OIDC_START_PATH}`,
    `GET ${OIDC_CALLBACK_PATH}`,
  ];
}

export function procedureGaps(apiDoc: string): string[] {
  const procedures = Object.keys(
    (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
  );
  return procedures
    .filter((name) => !mentionsCode(apiDoc, name))
    .map(
      (name) =>
        `docs/api.md: procedure \`${name}\` is not documented — add a table row starting "| \`${name}\` |" (type, input, result/errors) to its router's section`,
    );
}

export function httpPathGaps(apiDoc: string): string[] {
  const routes = [
    ...REST_ROUTES.map((route) => `${route.method.toUpperCase()} ${route.path}`),
    ...otherHttpPaths(),
  ];
  return routes
    .filter((route) => !mentionsCode(apiDoc, route))
    .map(
      (route) =>
        `docs/api.md: HTTP path \`${route}\` is not documented — add a table row starting "| \`${route}\` |" (REST paths in "REST: the original accounting API", others in "Other HTTP paths")`,
    );
}

/** The part of `doc` under the heading that names `table` in backticks, up to the next heading of that level or above. */
function tableSection(doc: string, table: string): string | undefined {
  const lines = doc.split("\n");
  const start = lines.findIndex((line) => /^#{2,4} /.test(line) && line.includes(`\`${table}\``));
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start] ?? "")?.[0].length ?? 3;
  const end = lines.findIndex((line, index) => index > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

export async function entityGaps(databaseDoc: string): Promise<string[]> {
  const gaps: string[] = [];
  for (const { entity, table, columns } of await describeEntities()) {
    const section = tableSection(databaseDoc, table);
    if (section === undefined) {
      gaps.push(
        `docs/database.md: table \`${table}\` (entity ${entity}) has no section — add a heading "### \`${table}\`" with a row per column (meaning, type, constraints, who writes it)`,
      );
      continue;
    }
    for (const { property, column } of columns) {
      if (!new RegExp(`^\\|\\s*\`${literal(column)}\``, "m").test(section))
        gaps.push(
          `docs/database.md: column \`${table}.${column}\` (${entity}.${property}) is not documented — add a row starting "| \`${column}\` |" under "### \`${table}\`"`,
        );
    }
  }
  return gaps;
}

export function environmentGaps(configurationDoc: string): string[] {
  return Object.keys(configSchema.shape)
    .filter((name) => !new RegExp(`^\\|\\s*\`${literal(name)}\``, "m").test(configurationDoc))
    .map(
      (name) =>
        `docs/configuration.md: environment variable \`${name}\` is not documented — add a row starting "| \`${name}\` |" (meaning, default, example) to its table`,
    );
}

/** docs/README.md is the index: it links every other document of docs/. */
export function indexGaps(root: string): string[] {
  const index = readDoc(root, "docs/README.md");
  return readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md") && name !== "README.md")
    .filter((name) => !index.includes(`](${name})`) && !index.includes(`](./${name})`))
    .map(
      (name) =>
        `docs/README.md: docs/${name} is not in the index — add a row "| [${name}](${name}) | what it covers |" to the table`,
    );
}

export const readDoc = (root: string, path: string) =>
  existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : "";
