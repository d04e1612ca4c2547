// @trpc/openapi reads the router's types through the TypeScript 5 compiler API, which TypeScript 7
// (the workspace's compiler) no longer has: give it its own TypeScript 5 instead of the peer.
export const hooks = {
  readPackage(pkg) {
    if (pkg.name === "@trpc/openapi") {
      delete pkg.peerDependencies?.typescript;
      pkg.dependencies = { ...pkg.dependencies, typescript: "5.9.3" };
    }
    return pkg;
  },
};
