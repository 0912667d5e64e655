// Node's built-in modules where the platform is Node, found at run time through
// process.getBuiltinModule, so that no browser bundle carries an import of them
// (`npm run check:package` refuses one). Elsewhere, and on Node before 20.16, undefined.
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  return (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.(id) as T | undefined;
}
