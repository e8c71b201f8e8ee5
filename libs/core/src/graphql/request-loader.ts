import DataLoader from 'dataloader';

const loadersByRequest = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/**
 * The DataLoader named `name` for one GraphQL request, created on first use: the field resolvers of
 * one response batch their lookups into one query per loader, and nothing is cached across requests.
 * `context` is the request's GraphQL context object (`@Context()`), which lives exactly as long as
 * the operation. `batch` returns the found values in any order; `keyOf` matches them to the keys,
 * and a key without a value loads as `fallback`.
 */
export function requestLoader<K extends string, V, F = null>(
  context: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (value: V) => K,
  fallback: F = null as F,
): DataLoader<K, V | F> {
  let loaders = loadersByRequest.get(context);
  if (!loaders) {
    loaders = new Map();
    loadersByRequest.set(context, loaders);
  }
  let loader = loaders.get(name) as DataLoader<K, V | F> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V | F>(async (keys) => {
      const found = new Map((await batch(keys)).map((value) => [keyOf(value), value]));
      return keys.map((key) => found.get(key) ?? fallback);
    });
    loaders.set(name, loader);
  }
  return loader;
}

/**
 * A count for one key through the request's loader `name`: `batch` returns the rows of the keys that
 * have any (`keyOf` names a row's key), and a key without a row counts 0.
 */
export function requestCount<K extends string, R extends { count: number }>(
  context: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
  key: K,
): Promise<number> {
  return requestLoader(context, name, batch, keyOf)
    .load(key)
    .then((row) => row?.count ?? 0);
}
