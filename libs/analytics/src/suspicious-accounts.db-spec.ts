import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { SuspiciousAccountsRepository } from './suspicious-accounts.repository.js';

describe('SuspiciousAccountsRepository.atLeast', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const repository = new SuspiciousAccountsRepository();

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = database.dataSource;
  });
  afterAll(() => database?.close());

  async function account(flags: [detector: string, score: number, state?: string][]): Promise<string> {
    const handle = `u${randomUUID().slice(0, 8)}`;
    const [{ id }] = await dataSource.query(
      `INSERT INTO users (email, handle, display_name, password_hash) VALUES ($1, $2, $2, 'x') RETURNING id`,
      [`${handle}@example.com`, handle],
    );
    for (const [detector, score, state = 'OPEN'] of flags) {
      await dataSource.query(
        `INSERT INTO flags (subject_type, subject_id, detector, detector_version, score, evidence, state, created_at, updated_at)
         VALUES ('ACCOUNT', $1, $2, '1', $3, '{}', $4, now(), now())`,
        [id, detector, score, state],
      );
    }
    return id as string;
  }

  it('combines each detector’s flag by noisy-or, keeps those at the threshold, and ignores decided flags', async () => {
    const certain = await account([['A', 1]]);
    const combined = await account([
      ['A', 0.5],
      ['B', 0.6],
    ]);
    await account([
      ['A', 0.5],
      ['B', 0.5],
    ]);
    await account([['A', 0.95, 'CLEARED']]);
    const found = await repository.atLeast(dataSource.manager, 0.8);
    expect(found.map((row) => row.userId)).toEqual([certain, combined]);
    expect(found[0]).toMatchObject({ score: 1, detectors: ['A'] });
    expect(found[1]!.score).toBeCloseTo(0.8, 12);
    expect(found[1]!.detectors).toEqual(['A', 'B']);
  });
});
