// The Helm chart rendered by real Helm (scripts/helm.sh: helm on the PATH, else the official binary
// that an npm package ships) and every manifest validated against the Kubernetes API schemas
// (kubernetes-models; like kubeconform without -strict: types, enums and required fields, not
// unknown fields). kubeconform itself is in neither Debian nor the npm registry.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../support/node.ts";
import { parleyVariables } from "./parley-variables.ts";

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}
interface Container {
  env: { name: string; value: string }[];
  envFrom: { secretRef: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
}

const validators: Record<string, (data: object) => void> = {
  "apps/v1 Deployment": (data) =>
    new Deployment(data as ConstructorParameters<typeof Deployment>[0]).validate(),
  "autoscaling/v2 HorizontalPodAutoscaler": (data) =>
    new HorizontalPodAutoscaler(data as ConstructorParameters<typeof HorizontalPodAutoscaler>[0]).validate(),
  "networking.k8s.io/v1 Ingress": (data) =>
    new Ingress(data as ConstructorParameters<typeof Ingress>[0]).validate(),
  "v1 Secret": (data) => new Secret(data as ConstructorParameters<typeof Secret>[0]).validate(),
  "v1 Service": (data) => new Service(data as ConstructorParameters<typeof Service>[0]).validate(),
  "v1 ServiceAccount": (data) =>
    new ServiceAccount(data as ConstructorParameters<typeof ServiceAccount>[0]).validate(),
};

const chartDir = join(repoRoot, "deploy/helm/parley");
const set = (...pairs: string[]) => pairs.flatMap((pair) => ["--set", pair]);
const database = set("secret.databaseUrl=postgres://parley:secret@postgres:5432/parley");
const everything = [
  ...database,
  ...set("redis.enabled=true", "autoscaling.enabled=true", "metrics.enabled=true"),
  ...set("ingress.enabled=true", "ingress.className=nginx", "ingress.tls[0].secretName=parley-tls"),
  ...set("ingress.tls[0].hosts[0]=parley.example.com"),
  ...set("secret.adminEmail=admin@example.com", "secret.adminPassword=a-long-password"),
  ...set(
    "secret.metricsToken=a-token-of-16-chars-or-more",
    "env.OTEL_EXPORTER_OTLP_ENDPOINT=http://phoenix:6006",
  ),
];

// The npm-shipped helm is a Linux x86-64 binary; elsewhere a helm on the PATH is needed.
const helmOnPath = spawnSync("helm", ["version"], { stdio: "ignore" }).status === 0;
const helmObtainable = helmOnPath || (process.platform === "linux" && process.arch === "x64");

// Each test runs helm a few times; a busy machine can take seconds for each.
describe.skipIf(!helmObtainable)("the Helm chart, rendered by helm", { timeout: 120_000 }, () => {
  let helmBinary = "";
  const helm = (...args: string[]) =>
    execFileSync(helmBinary, args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const render = (...values: string[]) =>
    parseAllDocuments(helm("template", "parley", chartDir, ...values))
      .map((doc) => doc.toJS() as Manifest | null)
      .filter((doc) => doc !== null);
  const helmError = (...values: string[]) => {
    const result = spawnSync(helmBinary, ["template", "parley", chartDir, ...values], { encoding: "utf8" });
    expect(result.status).not.toBe(0);
    return result.stderr;
  };
  const parleyContainer = (manifests: Manifest[]) => {
    const deployment = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "parley");
    const spec = deployment?.spec as { template: { spec: { containers: Container[] } } };
    return spec.template.spec.containers[0] as Container;
  };

  beforeAll(() => {
    helmBinary = execFileSync("bash", [join(repoRoot, "scripts/helm.sh")], { encoding: "utf8" }).trim();
  }, 300_000);

  it("passes helm lint --strict", () => {
    expect(helm("lint", "--strict", chartDir, ...database)).toContain("0 chart(s) failed");
  });

  it("renders valid Kubernetes objects, with the defaults and with every option on", () => {
    for (const [values, kinds] of [
      [database, ["Deployment", "Secret", "Service", "ServiceAccount"]],
      [
        everything,
        [
          "Deployment",
          "Deployment",
          "HorizontalPodAutoscaler",
          "Ingress",
          "Secret",
          "Service",
          "Service",
          "ServiceAccount",
        ],
      ],
    ] as const) {
      const manifests = render(...values);
      expect(manifests.map((m) => m.kind).sort()).toEqual([...kinds]);
      for (const manifest of manifests) {
        const validate = validators[`${manifest.apiVersion} ${manifest.kind}`];
        expect(validate, `${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
        validate?.(manifest);
      }
    }
  });

  it("runs Parley on port 3000 with its probes, and REDIS_URL only when there is a Redis", () => {
    const alone = parleyContainer(render(...database));
    expect(alone.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(alone.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(alone.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(alone.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(alone.env.map((e) => e.name)).not.toContain("REDIS_URL");

    const scaled = render(...everything);
    const scaledContainer = parleyContainer(scaled);
    expect(scaledContainer.env).toContainEqual({ name: "REDIS_URL", value: "redis://parley-redis:6379" });
    expect(scaledContainer.env).toContainEqual({ name: "METRICS_PORT", value: "9464" });
    expect(scaledContainer.ports).toContainEqual({ name: "metrics", containerPort: 9464, protocol: "TCP" });
    const redisService = scaled.find((m) => m.kind === "Service" && m.metadata.name === "parley-redis");
    expect(redisService?.spec?.ports).toEqual([
      { port: 6379, targetPort: "redis", protocol: "TCP", name: "redis" },
    ]);
    const external = parleyContainer(render(...database, ...set("redis.url=rediss://cache:6380")));
    expect(external.env).toContainEqual({ name: "REDIS_URL", value: "rediss://cache:6380" });
  });

  it("passes only variables Parley reads, and reads credentials from the Secret", () => {
    const manifests = render(...everything);
    const container = parleyContainer(manifests);
    for (const { name } of container.env) expect(parleyVariables).toContain(name);
    const secret = manifests.find((m) => m.kind === "Secret") as Manifest & {
      stringData: Record<string, string>;
    };
    expect(Object.keys(secret.stringData).sort()).toEqual([
      "ADMIN_EMAIL",
      "ADMIN_PASSWORD",
      "DATABASE_URL",
      "METRICS_TOKEN",
    ]);
    expect(container.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
  });

  it("uses an existing Secret instead of its own when told to", () => {
    const manifests = render(...set("secret.existingSecret=parley-env"));
    expect(manifests.map((m) => m.kind)).not.toContain("Secret");
    expect(parleyContainer(manifests).envFrom).toEqual([{ secretRef: { name: "parley-env" } }]);
  });

  it("refuses settings that cannot work, saying what to set", () => {
    expect(helmError()).toContain("Set secret.databaseUrl");
    expect(helmError(...database, ...set("replicaCount=2"))).toContain("More than one replica needs Redis");
    expect(helmError(...database, ...set("autoscaling.enabled=true"))).toContain("needs Redis");
    expect(helmError(...database, ...set("secret.adminEmail=a@example.com"))).toContain("set together");
  });

  it("prints notes whose admin command exists in the image", () => {
    const notes = helm("install", "parley", chartDir, "--dry-run=client", ...database);
    const command = /node (apps\/server\/src\/cli\/\S+\.ts)/.exec(notes)?.[1];
    expect(command && existsSync(join(repoRoot, command))).toBe(true);
    expect(notes).toContain("rollout status deployment/parley");
  });
});
