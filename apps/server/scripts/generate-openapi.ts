// Writes openapi/trpc.json: the OpenAPI 3.1 description of every tRPC procedure, read by
// @trpc/openapi from the router's TypeScript types (outputs included, so procedures need no
// `.output()` schemas). It needs the TypeScript 5 compiler API, which is why it runs here, at
// development time, and the server serves the committed file (see src/openapi/document.ts).
// `pnpm openapi:generate` after changing a procedure; a test fails while the file is stale.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { generateOpenAPIDocument } from "@trpc/openapi";

export const TRPC_DOCUMENT_PATH = fileURLToPath(new URL("../openapi/trpc.json", import.meta.url));
const ROUTER_PATH = fileURLToPath(new URL("../../../packages/api/src/root.ts", import.meta.url));

export async function generateTrpcDocument(): Promise<string> {
  const document = await generateOpenAPIDocument(ROUTER_PATH, {
    exportName: "AppRouter",
    title: "Parley tRPC API",
    version: "1",
  });
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (import.meta.main) {
  await writeFile(TRPC_DOCUMENT_PATH, await generateTrpcDocument());
  console.log(`wrote ${TRPC_DOCUMENT_PATH}`);
}
