/**
 * SybilRank (Cao et al., NSDI 2012) over an undirected graph: trust starts on verified seeds and spreads
 * along edges by power iteration, each node sharing its trust equally among its neighbours, for only
 * O(log n) steps. Honest accounts, well connected to each other, come close to their share of the
 * stationary trust; fake ones, joined to the honest region by few edges, are still near zero when it
 * stops (the walk here is lazy, see below). The ranking is by degree-normalized trust, reported here relative to the stationary value
 * (1 ≈ fully mixed), so one threshold fits graphs of any size.
 */
export interface TrustGraph {
  /** Node ids; edges refer to them by index. */
  nodes: readonly string[];
  /** Undirected edges as index pairs (no self-loops; a repeated pair counts once per listing). */
  edges: readonly (readonly [number, number])[];
  /** Indices of the seeds. */
  seeds: readonly number[];
}

export interface TrustRanking {
  /** Per node: degree-normalized trust over the stationary value; 0 for a node without edges. */
  relativeTrust: Float64Array;
  degree: Int32Array;
  iterations: number;
}

/**
 * The iterations SybilRank stops at: ⌈log₂ n⌉, the mixing time of a fast-mixing honest region. (Twice
 * as many lazy steps would mix as far as the plain walk does, but they also leak twice as much trust
 * through attack edges; measured on the simulated worlds, ⌈log₂ n⌉ separates better.)
 */
export function earlyTerminationSteps(nodeCount: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, nodeCount))));
}

export function rankTrust(graph: TrustGraph, iterations = earlyTerminationSteps(graph.nodes.length)): TrustRanking {
  const n = graph.nodes.length;
  const degree = new Int32Array(n);
  for (const [a, b] of graph.edges) {
    degree[a]!++;
    degree[b]!++;
  }
  // Compressed adjacency: the neighbours of i are neighbours[offset[i] .. offset[i + 1]).
  const offset = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offset[i + 1] = offset[i]! + degree[i]!;
  const neighbours = new Int32Array(offset[n]!);
  const filled = offset.slice(0, n);
  for (const [a, b] of graph.edges) {
    neighbours[filled[a]!++] = b;
    neighbours[filled[b]!++] = a;
  }

  let trust = new Float64Array(n);
  const seeds = graph.seeds.filter((seed) => degree[seed]! > 0);
  // The total trust is the graph's volume, so a fully mixed node holds its degree and scores 1.
  const volume = offset[n]!;
  for (const seed of seeds) trust[seed] = volume / seeds.length;
  for (let step = 0; step < iterations; step++) {
    // Lazy: each node keeps half and shares half. Without it trust oscillates on bipartite parts of the
    // graph (every invite tree is one), leaving honest nodes at 0 on alternate steps.
    const next = trust.map((held) => held / 2);
    for (let i = 0; i < n; i++) {
      if (degree[i] === 0) continue;
      const sharePerNeighbour = trust[i]! / 2 / degree[i]!;
      for (let k = offset[i]!; k < offset[i + 1]!; k++) next[neighbours[k]!]! += sharePerNeighbour;
    }
    trust = next;
  }
  const relativeTrust = new Float64Array(n);
  for (let i = 0; i < n; i++) if (degree[i]! > 0) relativeTrust[i] = trust[i]! / degree[i]!;
  return { relativeTrust, degree, iterations };
}

/** Connected components of the nodes `inside` allows, over `edges`: each a list of node indices. */
export function componentsAmong(
  nodeCount: number,
  edges: readonly (readonly [number, number])[],
  inside: (node: number) => boolean,
): number[][] {
  const parent = Int32Array.from({ length: nodeCount }, (_, i) => i);
  const root = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!;
      node = parent[node]!;
    }
    return node;
  };
  for (const [a, b] of edges) if (inside(a) && inside(b)) parent[root(a)] = root(b);
  const components = new Map<number, number[]>();
  for (let node = 0; node < nodeCount; node++) {
    if (!inside(node)) continue;
    const key = root(node);
    const component = components.get(key);
    if (component) component.push(node);
    else components.set(key, [node]);
  }
  return [...components.values()];
}
