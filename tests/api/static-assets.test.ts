import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

const distDir = join(import.meta.dirname, "..", "..", "apps", "web", "dist");
/** The entry script, as index.html names it. */
const entryPath = /src="(\/assets\/index-[^"]+\.js)"/.exec(
  readFileSync(join(distDir, "index.html"), "utf8"),
)?.[1];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET over node:http, which (unlike fetch) neither adds Accept-Encoding nor decodes the body. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.url), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function entry(): string {
  if (!entryPath) throw new Error("apps/web/dist/index.html names no entry script: run `pnpm build`");
  return entryPath;
}

describe("static assets", () => {
  it("an asset asked for with brotli comes back brotli-encoded, immutable, varying on Accept-Encoding", async () => {
    const plain = readFileSync(join(distDir, entry()));
    const res = await rawGet(entry(), { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(res.body).equals(plain)).toBe(true);
  });

  it("gzip when the client takes gzip but not brotli", async () => {
    const plain = readFileSync(join(distDir, entry()));
    const res = await rawGet(entry(), { "Accept-Encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(gunzipSync(res.body).equals(plain)).toBe(true);
  });

  it("the plain file when the client takes neither, still varying on Accept-Encoding", async () => {
    const plain = readFileSync(join(distDir, entry()));
    const cases: Record<string, string>[] = [{}, { "Accept-Encoding": "identity" }];
    for (const headers of cases) {
      const res = await rawGet(entry(), headers);
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(res.body.equals(plain)).toBe(true);
    }
  });

  it("index.html is revalidated on every use, never cached as immutable, compressed or not", async () => {
    for (const path of ["/", "/index.html"]) {
      for (const encoding of ["br", "gzip", "identity"]) {
        const res = await rawGet(path, { "Accept-Encoding": encoding });
        expect(res.status).toBe(200);
        expect(res.headers["content-type"]).toMatch(/text\/html/);
        expect(res.headers["cache-control"]).toBe("no-cache");
        expect(res.headers["content-encoding"]).toBe(encoding === "identity" ? undefined : encoding);
        // The security headers cover the page whichever copy was sent.
        expect(res.headers["content-security-policy"]).toMatch(/script-src 'self'/);
      }
    }
  });

  it("deep links still get the SPA; a missing asset is a 404, unknown API paths still JSON", async () => {
    const index = readFileSync(join(distDir, "index.html"), "utf8");
    for (const path of ["/chat", "/chat/0b8f6a52-7d0e-4a43-9f1e-2f6c1b1f4d11", "/admin/users"]) {
      const res = await rawGet(path, { "Accept-Encoding": "br, gzip" });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/text\/html/);
      expect(res.headers["content-encoding"]).toBe("br");
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(brotliDecompressSync(res.body).toString("utf8")).toBe(index);
      const plain = await rawGet(path);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.toString("utf8")).toBe(index);
    }
    const staleChunk = await rawGet("/assets/index-Gone1234.js", { "Accept-Encoding": "br" });
    expect(staleChunk.status).toBe(404);
    expect(staleChunk.headers["cache-control"]).toBe("no-cache");
    const api = await rawGet("/api/no-such-thing", { "Accept-Encoding": "br" });
    expect(api.status).toBe(404);
    expect(api.headers["content-type"]).toMatch(/json/);
  });
});
