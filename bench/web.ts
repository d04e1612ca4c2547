// pnpm bench:web — the chat screen's cold load in a real browser, for a signed-in user: JavaScript
// bytes on the wire (as sent, compressed or not), all bytes on the wire, first contentful paint,
// the load event and when the message box is in the page. Two network/CPU profiles (unthrottled;
// 4× CPU slowdown + slow 4G), each with the compressed assets Parley serves beside the reference
// path (Accept-Encoding: identity, what every client got before the build precompressed them),
// interleaved in one run; medians.
//
// Builds nothing: serves apps/web/dist (run `pnpm build` first) from a real server process on a
// scratch database. Needs DATABASE_URL (a PostgreSQL server) and Debian's chromium
// (CHROMIUM_PATH, default /usr/bin/chromium). BENCH_RUNS (5): loads per profile and encoding.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { type StartedProcess, startParleyServer } from "./child-process.ts";
import { useDatabaseServer } from "./database-server.ts";

const root = join(import.meta.dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The goal for the chat screen's cold load. */
const GOAL = { jsBytes: 200_000, throttledFcpMs: 1200 };

/**
 * First contentful paint (PerformanceObserver `paint` entries) and the end of the load event.
 * A string, as it runs in the page: this package is type-checked without the DOM's types.
 */
const PAINT_TIMING = `new Promise((resolve) => {
  const [navigation] = performance.getEntriesByType("navigation");
  new PerformanceObserver((list, observer) => {
    const fcp = list.getEntries().find((entry) => entry.name === "first-contentful-paint");
    if (!fcp) return;
    observer.disconnect();
    resolve({
      fcpMs: fcp.startTime,
      loadMs: navigation ? navigation.loadEventEnd : Number.NaN,
      composerMs: window.composerAt ?? Number.NaN,
    });
  }).observe({ type: "paint", buffered: true });
})`;

/** Notes when the composer's text box first enters the page. */
const WATCH_COMPOSER = `new MutationObserver((_, observer) => {
  if (!document.querySelector("textarea")) return;
  window.composerAt = performance.now();
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });`;

interface Profile {
  name: string;
  cpuRate: number;
  /** Network.emulateNetworkConditions, or none. */
  network?: { latency: number; downloadThroughput: number; uploadThroughput: number };
}
const PROFILES: Profile[] = [
  { name: "unthrottled", cpuRate: 1 },
  {
    name: "4× CPU, slow 4G",
    cpuRate: 4,
    // 1.6 Mbps down, 750 kbps up, 150 ms round trip (Lighthouse's "slow 4G"), in bytes per second.
    network: { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 },
  },
];
const ENCODINGS = [
  { name: "compressed", headers: {} },
  { name: "identity", headers: { "Accept-Encoding": "identity" } },
] as const;

interface Load {
  jsBytes: number;
  allBytes: number;
  /** Scripts that came back with a Content-Encoding, out of all scripts. */
  encodedScripts: number;
  scripts: number;
  fcpMs: number;
  loadMs: number;
  /** When the message box was first in the page: the chat screen is usable. */
  composerMs: number;
}

useDatabaseServer();
const distDir = join(root, "apps", "web", "dist");
if (!existsSync(join(distDir, "index.html"))) {
  console.error(`${distDir} has no build: run \`pnpm build\` first.`);
  process.exit(1);
}
const database = await createTestDatabase("parley_bench_web");
let server: StartedProcess | undefined;
let browser: Browser | undefined;
try {
  server = await startParleyServer(database.url, { WEB_DIST_DIR: distDir });
  const baseUrl = server.url;
  const token = await createUser(database.url);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
    ],
  });

  console.log(`web benchmark: cold load of ${baseUrl}/chat, signed in; median of ${runs} loads each\n`);
  console.log(
    "profile            encoding     JS on wire  all on wire  scripts encoded  FCP ms  load ms  composer ms",
  );
  const medians = new Map<string, Load>();
  for (const profile of PROFILES) {
    // One warm-up load per profile (server JIT, file cache), not counted.
    await coldLoad(browser, baseUrl, token, profile, {});
    const loads = new Map<string, Load[]>(ENCODINGS.map((e) => [e.name, []]));
    for (let i = 0; i < runs; i++) {
      // Interleaved, so drift in the machine's load hits both paths alike.
      for (const encoding of ENCODINGS) {
        loads.get(encoding.name)?.push(await coldLoad(browser, baseUrl, token, profile, encoding.headers));
      }
    }
    for (const encoding of ENCODINGS) {
      const m = medianLoad(loads.get(encoding.name) ?? []);
      medians.set(`${profile.name}/${encoding.name}`, m);
      console.log(
        [
          profile.name.padEnd(18),
          encoding.name.padEnd(10),
          kb(m.jsBytes).padStart(12),
          kb(m.allBytes).padStart(12),
          `${m.encodedScripts}/${m.scripts}`.padStart(16),
          m.fcpMs.toFixed(0).padStart(7),
          m.loadMs.toFixed(0).padStart(8),
          m.composerMs.toFixed(0).padStart(12),
        ].join(" "),
      );
    }
  }
  const cold = medians.get(`${PROFILES[0]?.name}/compressed`);
  const throttled = medians.get(`${PROFILES[1]?.name}/compressed`);
  if (cold && throttled) {
    console.log(
      `\ngoal: JS ≤ ${kb(GOAL.jsBytes)} → ${kb(cold.jsBytes)} (${cold.jsBytes <= GOAL.jsBytes ? "met" : "NOT met"}); ` +
        `throttled FCP ≤ ${GOAL.throttledFcpMs} ms → ${throttled.fcpMs.toFixed(0)} ms ` +
        `(${throttled.fcpMs <= GOAL.throttledFcpMs ? "met" : "NOT met"})`,
    );
  }
} finally {
  await browser?.close();
  await server?.stop();
  await database.drop();
}

/** One load of /chat in a fresh browser context: empty HTTP cache, new connections. */
async function coldLoad(
  target: Browser,
  baseUrl: string,
  token: string,
  profile: Profile,
  headers: Record<string, string>,
): Promise<Load> {
  const context = await target.newContext({ baseURL: baseUrl, extraHTTPHeaders: headers });
  await context.addCookies([{ name: "parley_session", value: token, url: baseUrl }]);
  const page = await context.newPage();
  await page.addInitScript(WATCH_COMPOSER);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (profile.network)
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...profile.network });
  if (profile.cpuRate > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpuRate });

  const responses = new Map<string, { script: boolean; encoded: boolean }>();
  let jsBytes = 0;
  let allBytes = 0;
  let scripts = 0;
  let encodedScripts = 0;
  cdp.on("Network.responseReceived", (event) => {
    const encoding = Object.entries(event.response.headers).find(
      ([name]) => name.toLowerCase() === "content-encoding",
    );
    responses.set(event.requestId, { script: event.type === "Script", encoded: Boolean(encoding?.[1]) });
  });
  cdp.on("Network.loadingFinished", (event) => {
    // encodedDataLength: bytes received for the response, headers included, as sent on the wire.
    allBytes += event.encodedDataLength;
    const response = responses.get(event.requestId);
    if (!response?.script) return;
    jsBytes += event.encodedDataLength;
    scripts += 1;
    if (response.encoded) encodedScripts += 1;
  });

  await page.goto("/chat");
  await page.getByRole("textbox", { name: "Message" }).waitFor({ state: "visible", timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const timing = await firstPaint(page);
  await context.close();
  return { jsBytes, allBytes, scripts, encodedScripts, ...timing };
}

type Timing = Pick<Load, "fcpMs" | "loadMs" | "composerMs">;

function firstPaint(page: Page): Promise<Timing> {
  return page.evaluate<Timing>(PAINT_TIMING);
}

function medianLoad(loads: Load[]): Load {
  const median = (pick: (load: Load) => number) => {
    const sorted = loads.map(pick).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  return {
    jsBytes: median((l) => l.jsBytes),
    allBytes: median((l) => l.allBytes),
    scripts: median((l) => l.scripts),
    encodedScripts: median((l) => l.encodedScripts),
    fcpMs: median((l) => l.fcpMs),
    loadMs: median((l) => l.loadMs),
    composerMs: median((l) => l.composerMs),
  };
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** A user with a session token, written straight to the database (the bench measures the page). */
async function createUser(url: string): Promise<string> {
  const db = await openDatabase({ url, poolSize: 1 });
  const connection = db.em.getConnection();
  const token = randomBytes(20).toString("hex");
  const [user] = await connection.execute<{ id: string }[]>(
    `insert into users (id, email, username, display_name, password_hash)
     values (gen_random_uuid(), 'bench-web@example.com', 'benchweb', 'Bench', 'x') returning id`,
  );
  await connection.execute(
    // As fresh as a sign-in's (SESSION_TTL_DAYS, 30): an older one is extended, a write, on its first use.
    "insert into auth_sessions (id, user_id, expires_at) values (?, ?, now() + interval '30 days')",
    [createHash("sha256").update(token).digest("hex"), user?.id ?? ""],
  );
  await db.close();
  return token;
}
