// hadolint is in neither Debian's packages nor the npm registry (its npm wrappers download a
// binary at install time), so the Dockerfile is parsed with dockerfile-ast, linted with
// dockerfile-utils (the VS Code Docker extension's validator), and held to hadolint's main rules
// here. docs/operations.md#dockerfile-review-list gives the same list, checked by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Copy, DockerfileParser, type Instruction } from "dockerfile-ast";
import { ValidationSeverity, validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/node.ts";

const text = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const withKeyword = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword);
const args = (instruction: Instruction) => instruction.getArgumentsContent() ?? "";
const runs = withKeyword("RUN").map(args);
const froms = dockerfile.getFROMs();
const finalStageStart = froms.at(-1)?.getRange().start.line ?? 0;
const inFinalStage = (instruction: Instruction) => instruction.getRange().start.line > finalStageStart;

describe("Dockerfile lint (dockerfile-utils)", () => {
  it("has no problem the validator reports, with every optional check turned on", () => {
    const all = ValidationSeverity.WARNING;
    const diagnostics = validate(text, {
      deprecatedMaintainer: all,
      directiveCasing: all,
      emptyContinuationLine: all,
      instructionCasing: all,
      instructionCmdMultiple: all,
      instructionEntrypointMultiple: all,
      instructionHealthcheckMultiple: all,
      instructionJSONInSingleQuotes: all,
      instructionWorkdirRelative: all,
    });
    expect(diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });
});

describe("Dockerfile review list (hadolint's main rules)", () => {
  it("DL3006/DL3007: every base image has an explicit tag other than latest", () => {
    const stages: string[] = [];
    for (const from of froms) {
      const image = from.getImageName() ?? "";
      if (!stages.includes(image)) {
        expect(from.getImageTag() ?? from.getImageDigest(), image).toBeTruthy();
        expect(from.getImageTag()).not.toBe("latest");
      }
      const stage = from.getBuildStage();
      if (stage) stages.push(stage);
    }
    expect(froms.length).toBeGreaterThan(0);
  });

  it("DL3024/DL3022: stage names are unique, and COPY --from names an earlier stage", () => {
    const stages = froms.map((from) => from.getBuildStage()).filter((s) => s !== null);
    expect(new Set(stages).size).toBe(stages.length);
    for (const copy of withKeyword("COPY") as Copy[]) {
      const source = copy.getFromFlag()?.getValue();
      if (source) expect(stages).toContain(source);
    }
  });

  it("DL3002: the image runs as a non-root user, set in the final stage", () => {
    const users = withKeyword("USER").filter(inFinalStage).map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it("DL3057: the final stage has a HEALTHCHECK, on the server's readiness endpoint", () => {
    const healthchecks = withKeyword("HEALTHCHECK").filter(inFinalStage);
    expect(healthchecks).toHaveLength(1);
    expect(args(healthchecks[0] as Instruction)).toContain("/readyz");
  });

  it("DL3020: files are copied with COPY, never ADD", () => {
    expect(withKeyword("ADD")).toEqual([]);
  });

  it("DL3021: a COPY of several sources ends in a folder", () => {
    for (const copy of withKeyword("COPY")) {
      const paths = copy
        .getArguments()
        .map((a) => a.getValue())
        .filter((v) => !v.startsWith("--"));
      if (paths.length > 2) expect(paths.at(-1)).toMatch(/\/$/);
    }
  });

  it("every pnpm install has the workspace's manifests and the patches it applies copied before it", () => {
    const workspace = parse(readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8")) as {
      patchedDependencies?: Record<string, string>;
    };
    const patchFolders = new Set(
      Object.values(workspace.patchedDependencies ?? {}).map((p) => p.split("/")[0]),
    );
    expect(patchFolders.size).toBeGreaterThan(0);
    const installs = withKeyword("RUN").filter((run) => /\bpnpm install\b/.test(args(run)));
    expect(installs.length).toBe(froms.length);
    for (const install of installs) {
      const line = install.getRange().start.line;
      const stageStart = Math.max(...froms.map((f) => f.getRange().start.line).filter((l) => l < line));
      const copied = withKeyword("COPY")
        .filter((copy) => copy.getRange().start.line > stageStart && copy.getRange().start.line < line)
        .flatMap((copy) => {
          const paths = copy
            .getArguments()
            .map((a) => a.getValue())
            .filter((v) => !v.startsWith("--"));
          return paths.slice(0, -1).map((source) => source.replace(/^\/app\//, ""));
        });
      for (const file of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ...patchFolders])
        expect(copied, `before the install on line ${line + 1}`).toContain(file);
    }
  });

  it("DL3025: CMD and ENTRYPOINT use the JSON (exec) form, so signals reach node", () => {
    const execForm = [...withKeyword("CMD"), ...withKeyword("ENTRYPOINT")].map(args);
    expect(execForm.length).toBeGreaterThan(0);
    for (const value of execForm) expect(() => JSON.parse(value)).not.toThrow();
  });

  it("DL3009/DL3014/DL3015/DL3027: apt-get installs are non-interactive, without recommends, and clean up", () => {
    for (const run of runs) {
      expect(run).not.toMatch(/(^|[\s;&|])apt\s/);
      if (/apt-get\s+(-\S+\s+)*install/.test(run)) {
        expect(run).toContain("--no-install-recommends");
        expect(run).toMatch(/\s-y\b|--yes/);
        expect(run).toContain("rm -rf /var/lib/apt/lists");
      }
    }
  });

  it("DL3016: globally installed npm packages are pinned to a version", () => {
    for (const run of runs) {
      for (const [, packages] of run.matchAll(/npm install --global((?:\s+[^\s&;]+)+)/g)) {
        const names = (packages ?? "").trim().split(/\s+/);
        for (const name of names.filter((n) => !n.startsWith("-"))) expect(name).toMatch(/.@\d/);
      }
    }
  });

  it("DL3000/DL3003/DL3004: absolute WORKDIR instead of cd, and no sudo", () => {
    for (const workdir of withKeyword("WORKDIR")) expect(args(workdir)).toMatch(/^\//);
    for (const run of runs) {
      expect(run).not.toMatch(/(^|[\s;&|])cd\s/);
      expect(run).not.toMatch(/(^|[\s;&|])sudo\s/);
    }
  });

  it("DL4006: a RUN with a pipe comes after SHELL with pipefail", () => {
    const pipefail = withKeyword("SHELL").some((shell) => args(shell).includes("pipefail"));
    for (const run of runs) if (/[^|]\|[^|]/.test(run)) expect(pipefail).toBe(true);
  });

  it("DL4000/DL4003/DL4004: no MAINTAINER, one CMD, at most one ENTRYPOINT", () => {
    expect(withKeyword("MAINTAINER")).toEqual([]);
    expect(withKeyword("CMD")).toHaveLength(1);
    expect(withKeyword("ENTRYPOINT").length).toBeLessThanOrEqual(1);
  });
});
