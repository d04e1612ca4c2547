// The Helm chart under deploy/helm/parley, checked without Helm (helm-render.test.ts renders it).
// What is checked here: Chart.yaml and values.yaml, that templates use only values and named
// templates that exist, that their blocks are balanced, that each manifest's literal YAML parses
// with the expected kind, and that ports, probes and variables agree with the server. What is not:
// the output of Go templating itself: helm-render.test.ts renders it with real Helm.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configSchema } from "@parley/server/config";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { repoRoot } from "../support/node.ts";
import { parleyVariables } from "./parley-variables.ts";

const chartDir = join(repoRoot, "deploy/helm/parley");
const read = (path: string) => readFileSync(join(chartDir, path), "utf8");
const chart = parse(read("Chart.yaml")) as Record<string, unknown>;
const values = parse(read("values.yaml")) as Record<string, unknown>;
const templateNames = readdirSync(join(chartDir, "templates"));
const templates = new Map(templateNames.map((name) => [name, read(`templates/${name}`)]));
const manifests = templateNames.filter((name) => name.endsWith(".yaml"));

/** The template's literal YAML: whole-line actions dropped, inline ones replaced by a placeholder. */
function skeleton(text: string): string {
  return text
    .replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, "")
    .replace(/^[ \t]*\{\{(?:(?!\}\})[\s\S])*\}\}[ \t]*(\n|$)/gm, "")
    .replace(/\{\{[\s\S]*?\}\}/g, "TEMPLATED");
}
const skeletonDocs = (name: string) =>
  parseAllDocuments(skeleton(templates.get(name) ?? "")).map((doc) => {
    expect(doc.errors, name).toEqual([]);
    return doc.toJS() as Record<string, unknown>;
  });

function hasPath(root: unknown, path: string[]): boolean {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe("Chart.yaml and values.yaml", () => {
  it("describe a Helm 3 application chart of the server's version", () => {
    const server = JSON.parse(readFileSync(join(repoRoot, "apps/server/package.json"), "utf8")) as {
      version: string;
    };
    expect(chart).toMatchObject({ apiVersion: "v2", name: "parley", type: "application" });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(chart.appVersion).toBe(server.version);
    // The chart's own Redis templates stand in for a dependency (none can be fetched offline).
    expect(chart.dependencies).toBeUndefined();
  });

  it("keep autoscaling and Redis off, and the pod non-root, by default", () => {
    expect(values).toMatchObject({
      replicaCount: 1,
      autoscaling: { enabled: false },
      redis: { enabled: false, url: "" },
      ingress: { enabled: false },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 1000 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    });
  });
});

describe("templates", () => {
  it("use only values that values.yaml declares", () => {
    for (const [name, text] of templates) {
      for (const [, path] of text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)) {
        expect(hasPath(values, (path ?? "").split(".")), `${name}: .Values.${path}`).toBe(true);
      }
    }
  });

  it("include only named templates that _helpers.tpl defines", () => {
    const defined = [...(templates.get("_helpers.tpl") ?? "").matchAll(/define "([^"]+)"/g)].map((m) => m[1]);
    for (const [name, text] of templates) {
      for (const [, used] of text.matchAll(/include "([^"]+)"/g)) expect(defined, name).toContain(used);
    }
  });

  it("close every block they open", () => {
    for (const [name, text] of templates) {
      const actions = [...text.matchAll(/\{\{-?\s*(if|range|with|define|end)\b/g)].map((m) => m[1]);
      let depth = 0;
      for (const action of actions) {
        depth += action === "end" ? -1 : 1;
        expect(depth, name).toBeGreaterThanOrEqual(0);
      }
      expect(depth, name).toBe(0);
    }
  });

  it("are YAML of the expected kinds once the template actions are set aside", () => {
    const kinds = Object.fromEntries(
      manifests.map((name) => [name, skeletonDocs(name).map((doc) => `${doc.apiVersion} ${doc.kind}`)]),
    );
    expect(kinds).toEqual({
      "deployment.yaml": ["apps/v1 Deployment"],
      "hpa.yaml": ["autoscaling/v2 HorizontalPodAutoscaler"],
      "ingress.yaml": ["networking.k8s.io/v1 Ingress"],
      "redis.yaml": ["apps/v1 Deployment", "v1 Service"],
      "secret.yaml": ["v1 Secret"],
      "service.yaml": ["v1 Service"],
      "serviceaccount.yaml": ["v1 ServiceAccount"],
    });
    expect(templateNames).toContain("NOTES.txt");
  });
});

describe("the Deployment agrees with the server", () => {
  const [deployment] = skeletonDocs("deployment.yaml") as [
    {
      spec: {
        strategy: { type: string; rollingUpdate: Record<string, number> };
        template: { spec: { containers: Container[] } };
      };
    },
  ];
  interface Probe {
    httpGet: { path: string; port: string };
  }
  interface Container {
    ports: { name: string; containerPort: number }[];
    env: { name: string; value: string }[];
    readinessProbe: Probe;
    livenessProbe: Probe;
    startupProbe: Probe;
    envFrom: { secretRef: object }[];
  }
  const container = deployment.spec.template.spec.containers[0] as Container;
  const appSource = readFileSync(join(repoRoot, "apps/server/src/app.ts"), "utf8");

  it("listens on the server's default port, which the image exposes and the Service targets", () => {
    expect(container.ports).toContainEqual({ name: "http", containerPort: 3000, protocol: "TCP" });
    expect(container.env).toContainEqual({ name: "PORT", value: "3000" });
    expect(container.env).toContainEqual({ name: "HOST", value: "0.0.0.0" });
    expect(configSchema.shape.PORT.parse(undefined)).toBe(3000);
    expect(readFileSync(join(repoRoot, "Dockerfile"), "utf8")).toMatch(/^EXPOSE 3000$/m);
    expect(templates.get("service.yaml")).toContain("targetPort: http");
  });

  it("probes readiness on /readyz and liveness on /healthz, both routes of the server", () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(appSource).toContain('app.get("/readyz"');
    expect(appSource).toContain('app.get("/healthz"');
  });

  it("rolls one pod at a time without taking a ready one away first", () => {
    expect(deployment.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });

  it("sets REDIS_URL only when Redis is enabled or given", () => {
    const text = templates.get("deployment.yaml") ?? "";
    expect(text).toMatch(/\{\{- with include "parley\.redisUrl" \. \}\}\s+- name: REDIS_URL/);
    expect(templates.get("_helpers.tpl")).toContain('printf "redis://%s-redis:6379"');
    expect(templates.get("redis.yaml")).toMatch(/^\{\{- if \.Values\.redis\.enabled \}\}/);
    // Parley's selector must not match the Redis pod of the same release.
    expect(templates.get("_helpers.tpl")).toMatch(
      /define "parley\.selectorLabels"[^}]*\}\}\n\{\{ include "parley\.instanceLabels" \. \}\}\napp\.kubernetes\.io\/component: server/,
    );
    const [redisDeployment] = skeletonDocs("redis.yaml") as [{ spec: { selector: object } }];
    expect(redisDeployment.spec.selector).toEqual({
      matchLabels: { "app.kubernetes.io/component": "redis" },
    });
  });

  it("passes only variables Parley reads, from values and from the Secret", () => {
    for (const { name } of container.env.filter((e) => e.name !== "TEMPLATED")) {
      expect(parleyVariables).toContain(name);
    }
    for (const name of Object.keys(values.env as object)) expect(parleyVariables).toContain(name);
    const secretKeys = [...(templates.get("secret.yaml") ?? "").matchAll(/^\s+"([A-Z_]+)" \.Values/gm)].map(
      (m) => m[1],
    );
    expect(secretKeys).toContain("DATABASE_URL");
    for (const name of secretKeys) expect(parleyVariables).toContain(name);
    expect(container.envFrom).toHaveLength(1);
  });
});
