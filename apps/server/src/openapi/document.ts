import { readFileSync } from "node:fs";
import { z } from "zod";
import { procedureAt, REST_ROUTES, type RestRoute } from "../rest/routes.ts";
import { attachmentPaths } from "./attachment-paths.ts";

type Json = Record<string, unknown>;

/** What @trpc/openapi wrote (scripts/generate-openapi.ts): one path per procedure, outputs inferred. */
interface TrpcDocument {
  paths: Record<string, Record<string, Json>>;
  components: { schemas?: Record<string, Json>; responses?: Record<string, Json> };
}

const TRPC_DOCUMENT_URL = new URL("../../openapi/trpc.json", import.meta.url);

const restErrorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string", examples: ["PAYMENT_REQUIRED"] },
        message: { type: "string" },
        detail: {
          type: "object",
          description: "Structured detail from the domain (e.g. available, required)",
        },
        issues: { type: "array", items: { type: "object" }, description: "Input problems, field by field" },
      },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

const ROLE_TEXT: Record<RestRoute["role"], string> = {
  anyone: "anyone, signed in or not",
  user: "any signed-in user (acting on their own account)",
  supervisor: "supervisors and admins",
  admin: "admins only",
};

/**
 * The OpenAPI 3.1 document served at /api/openapi.json: the tRPC procedures under /trpc (as
 * generated from the router's types) and the REST paths of the original accounting service, whose
 * inputs come from the same zod schemas the procedures validate with and whose outputs are the
 * procedures' outputs.
 */
export function buildOpenApiDocument(): Json {
  const trpc = repairTrpcDocument(readFileSync(TRPC_DOCUMENT_URL, "utf8"));
  const paths: Record<string, Record<string, Json>> = {};
  for (const [path, operations] of Object.entries(trpc.paths)) paths[`/trpc${path}`] = operations;
  for (const route of REST_ROUTES) {
    const openApiPath = route.path.replace(/:(\w+)/g, "{$1}");
    paths[openApiPath] = { ...paths[openApiPath], [route.method]: restOperation(route, trpc) };
  }
  Object.assign(paths, attachmentPaths);
  paths["/api/health"] = {
    get: {
      operationId: "rest.health",
      tags: ["REST: health"],
      summary: "Liveness of the REST API",
      security: [],
      responses: {
        "200": {
          description: "The server is up",
          content: {
            "application/json": { schema: { type: "object", properties: { status: { const: "ok" } } } },
          },
        },
      },
    },
  };

  return {
    openapi: "3.1.1",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "Parley API",
      version: "1",
      description:
        "Two ways in over HTTP. **tRPC** (`/trpc/…`): every procedure; queries are GET with " +
        "`?input=` (URL-encoded JSON), mutations POST a JSON body; inputs and outputs travel through " +
        'superjson, so wrap an input as `{"json": …}` and read the result from `result.data.json`. ' +
        "Subscriptions (SSE) are not listed. **REST** (`/api/…`): the original accounting " +
        "service's paths, plain JSON both ways. Authenticate with `Authorization: Bearer <token>` " +
        "(a session token, an API key, or an external JWT when configured) or the session cookie.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
    components: {
      ...trpc.components,
      schemas: { ...trpc.components.schemas, RestError: restErrorSchema },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Session token, API key or external JWT" },
        cookie: { type: "apiKey", in: "cookie", name: "parley_session" },
      },
    },
  };
}

/**
 * Two things @trpc/openapi (alpha) emits that OpenAPI 3.1 forbids, found by the validator in
 * tests/api/openapi.test.ts: component names with `$` (zod's `$ZodIssue…` types) and `style` next
 * to `content` on the `input` query parameter.
 */
function repairTrpcDocument(text: string): TrpcDocument {
  const renamed = text.replace(/"(#\/components\/schemas\/)?\$(Zod\w*)"/g, '"$1$2"');
  const document = JSON.parse(renamed) as TrpcDocument;
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        if ("content" in parameter) delete parameter.style;
      }
    }
  }
  return document;
}

function restOperation(route: RestRoute, trpc: TrpcDocument): Json {
  const trpcOperation = Object.values(trpc.paths[`/${route.procedure}`] ?? {})[0];
  const input = inputJsonSchema(route.procedure);
  const properties = (input?.properties ?? {}) as Record<string, Json>;
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? "");
  const parameters = [
    ...pathParams.map((name) => ({
      name,
      in: "path",
      required: true,
      schema: properties[name] ?? { type: "string" },
      ...(route.path.endsWith("balance/:userId") ? { description: "A user id, or a URL-encoded email" } : {}),
    })),
    ...(route.query ?? []).map((name) => ({
      name,
      in: "query",
      required: false,
      schema: queryParamSchema(properties[name]),
    })),
  ];
  const errors = Object.fromEntries(
    ["400", "401", "402", "403", "404", "409", "429"].map((status) => [
      status,
      {
        description: "Refused",
        content: { "application/json": { schema: { $ref: "#/components/schemas/RestError" } } },
      },
    ]),
  );
  return {
    operationId: `rest.${route.method}.${route.path.replace(/^\/api\//, "").replace(/[/:]+/g, ".")}`,
    tags: [`REST: ${route.path.split("/")[2]}`],
    summary: route.summary,
    description: `Who may call it: ${ROLE_TEXT[route.role]}. Runs the tRPC procedure \`${route.procedure}\`.`,
    ...(parameters.length ? { parameters } : {}),
    ...(route.method !== "get" && input
      ? { requestBody: { required: true, content: { "application/json": { schema: input } } } }
      : {}),
    responses: {
      "200": {
        description: "Success",
        content: { "application/json": { schema: trpcResultSchema(trpcOperation) } },
      },
      ...errors,
    },
  };
}

/** The JSON Schema of a procedure's input, from the zod schema it validates with. */
function inputJsonSchema(procedure: string): Json | null {
  const parser = procedureAt(procedure)?._def.inputs[0];
  if (!(parser instanceof z.ZodType)) return null;
  const { $schema: _dialect, ...schema } = z.toJSONSchema(parser, { io: "input", unrepresentable: "any" });
  return schema;
}

/** A query parameter's schema: the input field's, or a date-time string for dates (no JSON form). */
function queryParamSchema(field: Json | undefined): Json {
  return field && Object.keys(field).length > 0 ? field : { type: "string", format: "date-time" };
}

/** Unwraps tRPC's `{ result: { data } }` envelope from the generated response schema. */
function trpcResultSchema(operation: Json | undefined): Json {
  const responses = operation?.responses as Json | undefined;
  const ok = responses?.["200"] as Json | undefined;
  const schema = ((ok?.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema as
    | Json
    | undefined;
  const result = (schema?.properties as Json | undefined)?.result as Json | undefined;
  return ((result?.properties as Json | undefined)?.data as Json | undefined) ?? {};
}
