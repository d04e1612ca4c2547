import { describe, expect, it } from "vitest";
import { roleFromClaims } from "./role-claim.ts";

describe("roleFromClaims", () => {
  const map = { "parley-admins": "admin", "parley-supervisors": "supervisor" } as const;

  it("maps a single value", () => {
    expect(roleFromClaims({ role: "parley-admins" }, "role", map)).toBe("admin");
  });

  it("takes the highest role of a list", () => {
    expect(roleFromClaims({ groups: ["staff", "parley-supervisors", "parley-admins"] }, "groups", map)).toBe(
      "admin",
    );
    expect(roleFromClaims({ groups: ["staff", "parley-supervisors"] }, "groups", map)).toBe("supervisor");
  });

  it("falls back to user when nothing matches or the claim is absent", () => {
    expect(roleFromClaims({ groups: ["staff"] }, "groups", map)).toBe("user");
    expect(roleFromClaims({}, "groups", map)).toBe("user");
    expect(roleFromClaims({ groups: [{ name: "parley-admins" }] }, "groups", map)).toBe("user");
  });

  it("takes role names as they are when the map is empty", () => {
    expect(roleFromClaims({ roles: ["supervisor"] }, "roles", {})).toBe("supervisor");
    expect(roleFromClaims({ roles: ["owner"] }, "roles", {})).toBe("user");
  });

  it("follows a dotted path, but prefers a claim named with dots", () => {
    expect(roleFromClaims({ realm_access: { roles: ["parley-admins"] } }, "realm_access.roles", map)).toBe(
      "admin",
    );
    expect(
      roleFromClaims(
        { "https://example.com/roles": "parley-supervisors", https: { "//example": "x" } },
        "https://example.com/roles",
        map,
      ),
    ).toBe("supervisor");
  });

  it("ignores inherited properties", () => {
    expect(roleFromClaims({ role: "constructor" }, "role", {})).toBe("user");
    expect(roleFromClaims({ role: "toString" }, "role", map)).toBe("user");
  });
});
