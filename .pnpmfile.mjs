// @trpc/openapi and rolldown-plugin-dts (the declaration build of @parley/client, run by tsdown)
// read types through the TypeScript 5 compiler API, which TypeScript 7 (the workspace's compiler)
// no longer has: give each its own TypeScript 5 instead of the peer.
export const hooks = {
  readPackage(pkg) {
    if (pkg.name === "@trpc/openapi" || pkg.name === "rolldown-plugin-dts") {
      delete pkg.peerDependencies?.typescript;
      pkg.dependencies = { ...pkg.dependencies, typescript: "5.9.3" };
    }
    // tsdown reaches TypeScript only through rolldown-plugin-dts: without this optional peer, the
    // client's other peers (tRPC's) resolve to the workspace's TypeScript like everywhere else.
    if (pkg.name === "tsdown") delete pkg.peerDependencies?.typescript;
    return pkg;
  },
};
