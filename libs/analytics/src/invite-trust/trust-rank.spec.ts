import fc from 'fast-check';
import { componentsAmong, earlyTerminationSteps, rankTrust, type TrustGraph } from './trust-rank.js';

/** `size` nodes from `from`, each joined to the next and to ones a third and a seventh of the way on: fast-mixing. */
function region(from: number, size: number): [number, number][] {
  const edges: [number, number][] = [];
  for (let i = 0; i < size; i++) {
    for (const hop of new Set([1, Math.floor(size / 3), Math.floor(size / 7)].filter((h) => h > 0))) {
      edges.push([from + i, from + ((i + hop) % size)]);
    }
  }
  return edges;
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => `n${i}`);

describe('rankTrust (SybilRank)', () => {
  it('leaves a region reached by one attack edge far below an honest region of the same shape', () => {
    // 0–39 honest, 40–49 fake; one fake account befriended one honest one.
    const graph: TrustGraph = {
      nodes: ids(50),
      edges: [...region(0, 40), ...region(40, 10), [7, 45]],
      seeds: [0, 20],
    };
    const { relativeTrust } = rankTrust(graph);
    const honest = Array.from(relativeTrust.subarray(0, 40));
    const fake = Array.from(relativeTrust.subarray(40, 50));
    expect(Math.min(...honest)).toBeGreaterThan(0.5);
    // Only the fake account holding the attack edge gets a little; the rest stay near zero.
    expect(Math.max(...fake)).toBeLessThan(Math.min(...honest) / 2);
    expect(fake.filter((trust) => trust < 0.1)).toHaveLength(9);
  });

  it('gives no trust to a component without a seed, and none to a node without edges', () => {
    const graph: TrustGraph = { nodes: ids(13), edges: [...region(0, 6), ...region(6, 6)], seeds: [0] };
    const { relativeTrust, degree } = rankTrust(graph);
    expect(Array.from(relativeTrust.subarray(6, 12))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(degree[12]).toBe(0);
    expect(relativeTrust[12]).toBe(0);
  });

  it('stops after ⌈log₂ n⌉ steps', () => {
    expect(earlyTerminationSteps(1)).toBe(1);
    expect(earlyTerminationSteps(1_000)).toBe(10);
    expect(rankTrust({ nodes: ids(64), edges: region(0, 64), seeds: [0] }).iterations).toBe(6);
  });

  it('conserves the total trust: it only moves along edges', () => {
    const graphs = fc.integer({ min: 2, max: 30 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(
          fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b]) => a !== b),
          { minLength: 1, maxLength: 80 },
        ),
        seeds: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(graphs, ({ n, edges, seeds }) => {
        const { relativeTrust, degree } = rankTrust({ nodes: ids(n), edges, seeds });
        const connectedSeeds = seeds.filter((seed) => degree[seed]! > 0);
        const total = relativeTrust.reduce((sum, trust, i) => sum + trust * degree[i]!, 0);
        const volume = degree.reduce((sum, d) => sum + d, 0);
        expect(total).toBeCloseTo(connectedSeeds.length > 0 ? volume : 0, 6);
        for (const trust of relativeTrust) expect(trust).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('componentsAmong', () => {
  it('groups the allowed nodes joined by edges between allowed nodes only', () => {
    const edges: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 3],
      [4, 5],
    ];
    const components = componentsAmong(7, edges, (node) => node !== 2).map((c) => c.sort());
    expect(components.sort((a, b) => a[0]! - b[0]!)).toEqual([[0, 1], [3], [4, 5], [6]]);
  });
});
