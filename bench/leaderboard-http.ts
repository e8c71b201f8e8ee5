import type { SeededBoards } from './game-seed.js';

/** The HTTP leaderboard benchmark: not written yet. */
export async function benchLeaderboardHttp(_: SeededBoards): Promise<void> {
  console.log('\nleaderboard over HTTP: not written yet');
}
