import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import datapackage from 'datapackage';
import { DataSource } from 'typeorm';
import { DetectorRunner } from '@boardroom/analytics';
import { Role, UsersService } from '@boardroom/accounts';
import { fromGlobalId } from '@boardroom/core';
import { StorageDriver } from '@boardroom/media';
import { RetentionPolicy } from '@boardroom/research';
import { photoScene } from './fixtures/make-fixtures.js';
import { accountsClient, type Session } from './support/accounts-client.js';
import { readParquetWithArrow } from './support/arrow-parquet.js';
import { createBrand } from './support/brands-client.js';
import { distEntry } from './support/build.js';
import { graphqlCalls } from './support/graphql-calls.js';
import { photosClient, type PhotoView } from './support/photos-client.js';
import { runNode } from './support/run-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { unzip } from './support/unzip.js';

interface ExportJobView {
  id: string;
  status: string;
  format: string;
  rows: number | null;
  downloadUrl: string | null;
  error: string | null;
}

const JOB = `id status format rows downloadUrl error`;
const K = 3;

/** Research exports end to end: request, the worker's job, the archive, and what it must never contain. */
describe('research exports (e2e)', () => {
  let app: TestApp;
  let dir: string;
  let researcher: Session;
  let people: Session[];
  let brand: string;
  let photos: PhotoView[];
  const captions: string[] = [];
  const comments: string[] = [];

  const { call, as } = graphqlCalls(() => app);
  const requestExport = (session: Session, input: Record<string, unknown>) =>
    call<{ requestResearchExport: ExportJobView }>(
      session,
      `mutation($input: ResearchExportInput!) { requestResearchExport(input: $input) { ${JOB} } }`,
      { input },
    );
  const jobOf = async (session: Session, id: string) =>
    (
      await as<{ exportJob: ExportJobView | null }>(session, `query($id: ID!) { exportJob(id: $id) { ${JOB} } }`, {
        id,
      })
    ).exportJob;
  const finished = async (id: string): Promise<ExportJobView> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = (await jobOf(researcher, id))!;
      if (job.status === 'DONE' || job.status === 'FAILED') return job;
      if (Date.now() > deadline) throw new Error(`Export ${id} still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const window = () => ({
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  });
  /** Requests, waits and downloads an export: its files by name. */
  const exported = async (input: Record<string, unknown>): Promise<Map<string, Buffer>> => {
    const { data, errors } = await requestExport(researcher, { ...window(), ...input });
    expect(errors).toBeUndefined();
    const job = await finished(data!.requestResearchExport.id);
    expect(job).toMatchObject({ status: 'DONE', error: null });
    expect(job.rows).toBeGreaterThan(0);
    const response = await fetch(job.downloadUrl!);
    expect(response.status).toBe(200);
    return unzip(Buffer.from(await response.arrayBuffer()));
  };
  const pseudonymsIn = (files: Map<string, Buffer>): Set<string> =>
    new Set([...files.values()].flatMap((bytes) => bytes.toString('latin1').match(/\b[0-9a-f]{32}\b/g) ?? []));

  /** No raw id, email, handle, caption, comment text, IP or fingerprint hash anywhere in these bytes. */
  const expectNothingPersonalIn = async (files: Map<string, Buffer>) => {
    const sql = app.app.get(DataSource);
    const ids = async (query: string) => (await sql.query<{ id: string }[]>(query)).map((row) => row.id);
    const secrets = [
      ...(await ids(`SELECT id::text AS id FROM users UNION SELECT id::text FROM photos UNION SELECT id::text FROM comments
                     UNION SELECT id::text FROM brands UNION SELECT id::text FROM invites`)),
      ...(await ids(`SELECT DISTINCT network_fingerprint AS id FROM events WHERE network_fingerprint IS NOT NULL
                     UNION SELECT DISTINCT device_fingerprint FROM events WHERE device_fingerprint IS NOT NULL`)),
      ...people.flatMap((person) => [person.user.handle, `${person.user.handle}.private@example.com`]),
      ...captions,
      ...comments,
      '203.0.113.77',
    ];
    for (const [name, bytes] of files) {
      const text = bytes.toString('latin1');
      for (const secret of secrets) {
        if (text.includes(secret)) throw new Error(`${name} contains ${secret}`);
      }
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-research-'));
    app = await startTestApp({
      JOBS_IN_API: 'true',
      JOBS_POLL_INTERVAL_MS: '50',
      RATE_LIMIT_GRAPHQL: '100000/60',
      RATE_LIMIT_UPLOADS: '1000/60',
      RATE_LIMIT_COMMENTS: '1000/60',
      RESEARCH_K_ANONYMITY: String(K),
      // Differentially private daily counts on, with little noise (scale 1/10): their sums stay checkable.
      RESEARCH_DP_EPSILON: '10',
      RESEARCH_DP_MAX_EVENTS: '1',
    });
    const accounts = accountsClient(app);
    researcher = (await accounts.signUp({ email: 'quinn.researcher@example.com', handle: 'quinnresearcher' })).body
      .data!.signUp;
    await app.app.get(UsersService).grantRole('quinn.researcher@example.com', Role.RESEARCHER);
    people = [];
    for (const name of ['zephyrine', 'bartholomew', 'clementine', 'desdemona', 'evangeline']) {
      people.push(
        (
          await accounts.signUp(
            { email: `${name}.private@example.com`, handle: name },
            { 'x-forwarded-for': '203.0.113.77' },
          )
        ).body.data!.signUp,
      );
    }
    brand = await createBrand(app, people[0]!, 'Pseudonym Pretzels');
    const client = photosClient(app);
    photos = [];
    for (const [index, person] of people.entries()) {
      const file = path.join(dir, `scene-${index}.jpg`);
      // The last two publish one picture: a near-duplicate cluster across accounts.
      await (await photoScene(800, 600, index >= 3 ? 900 : 900 + index + 1)).jpeg({ quality: 85 }).toFile(file);
      const caption = `Secret caption number ${index} of ${person.user.handle}`;
      captions.push(caption);
      photos.push(await client.publish(person, brand, file, caption));
    }
    for (const [index, person] of people.entries()) {
      const body = `A very private remark ${index} about pretzels`;
      comments.push(body);
      await as(person, `mutation($id: ID!, $b: String!) { commentOnPhoto(photoId: $id, body: $b) { id } }`, {
        id: photos[(index + 1) % photos.length]!.id,
        b: body,
      });
    }
    // The detectors read settled events only: while a job's transaction is still open (photo processing runs
    // in this process), the latest events wait for the next run. Run until the copied picture is clustered.
    const sqlOf = app.app.get(DataSource);
    for (let attempt = 0; attempt < 50; attempt++) {
      await app.app.get(DetectorRunner).runAll();
      const [row] = await sqlOf.query<{ clusters: number }[]>(
        `SELECT count(*)::int AS clusters FROM flag_clusters WHERE detector = 'NEAR_DUPLICATE_PHOTOS'`,
      );
      if ((row?.clusters ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is for researchers only, and checks its window and brands', async () => {
    const refused = await requestExport(people[0]!, { ...window(), format: 'CSV' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const backwards = await requestExport(researcher, { from: window().to, to: window().from, format: 'CSV' });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'to' }] });
    const unknown = await requestExport(researcher, { ...window(), format: 'CSV', brandSlugs: ['no-such-brand'] });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const badProject = await requestExport(researcher, { ...window(), format: 'CSV', project: 'Not A Name' });
    expect(badProject.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'project' }],
    });
  });

  let alpha: Map<string, Buffer>;
  /** The pseudonyms of the first export, from the values DuckDB reads (Parquet pages are compressed). */
  let alphaNames: Set<string>;

  it('exports Parquet that DuckDB reads and joins, with no raw id, email, handle, caption, comment or IP in its bytes', async () => {
    alpha = await exported({ format: 'PARQUET', project: 'alpha', brandSlugs: [brand] });
    expect([...alpha.keys()].sort()).toEqual([
      'README.md',
      'SHA256SUMS',
      'accounts.parquet',
      'brands.parquet',
      'daily_counts.parquet',
      'datapackage.json',
      'duplicate_clusters.parquet',
      'events.parquet',
      'invites.parquet',
    ]);
    const out = path.join(dir, 'alpha');
    await rm(out, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(out));
    for (const [name, bytes] of alpha) await writeFile(path.join(out, name), bytes);

    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = async (sql: string) => (await duck.runAndReadAll(sql)).getRowObjectsJson();
    const parquet = (table: string) => `read_parquet('${path.join(out, `${table}.parquet`)}')`;
    const [{ events, joined, published }] = (await rows(
      `SELECT count(*) AS events, count(a.account) AS joined,
              count(*) FILTER (WHERE e.action = 'photo.published') AS published
         FROM ${parquet('events')} e LEFT JOIN ${parquet('accounts')} a ON a.account = e.actor
        WHERE e.actor IS NOT NULL`,
    )) as [{ events: string; joined: string; published: string }];
    expect(Number(events)).toBeGreaterThanOrEqual(10);
    expect(joined).toBe(events);
    expect(Number(published)).toBe(5);
    const accounts = (await rows(`SELECT * FROM ${parquet('accounts')}`)) as Record<string, unknown>[];
    expect(accounts).toHaveLength(5);
    // k-anonymity: every published combination of quasi-identifiers is shared by at least k accounts.
    const classes = await rows(
      `SELECT signup_week, brands, top_title, count(*) AS n FROM ${parquet('accounts')} GROUP BY ALL HAVING count(*) < ${K}`,
    );
    expect(classes.filter((row) => row.signup_week !== '*')).toEqual([]);
    const clusters = await rows(
      `SELECT cluster, count(*) AS members FROM ${parquet('duplicate_clusters')} GROUP BY cluster`,
    );
    expect(clusters).toEqual([{ cluster: expect.stringMatching(/^[0-9a-f]{32}$/), members: '2' }]);
    const flagged = await rows(
      `SELECT count(*) AS n FROM ${parquet('events')} WHERE action_flags LIKE '%NEAR_DUPLICATE_PHOTOS@%'`,
    );
    expect(Number(flagged[0]!.n)).toBeGreaterThan(0);
    const [brandRow] = (await rows(`SELECT * FROM ${parquet('brands')}`)) as [Record<string, unknown>];
    expect(brandRow).toMatchObject({ brand, published_photos: 5 });
    // Every (day, action) cell of the brand, empty ones too; 5 photos by 5 accounts, each counted once.
    const cells = (await rows(`SELECT * FROM ${parquet('daily_counts')}`)) as Record<string, unknown>[];
    const days = new Set(cells.map((cell) => cell.day));
    expect(days.size).toBeGreaterThanOrEqual(2);
    expect(cells).toHaveLength(days.size * 7);
    expect(new Set(cells.map((cell) => cell.brand))).toEqual(new Set([brand]));
    const publishedNoisy = cells
      .filter((cell) => cell.action === 'photo.published')
      .reduce((sum, cell) => sum + Number(cell.noisy_count), 0);
    // Noise of scale 0.1 rounds to 0 in 99.3 % of cells: the sum is 5, give or take one.
    expect(Math.abs(publishedNoisy - 5)).toBeLessThanOrEqual(2);

    // Parquet pages are compressed: the values themselves, as DuckDB reads them, go through the same scan.
    const values = new Map(alpha);
    for (const table of ['events', 'accounts', 'brands', 'invites', 'duplicate_clusters', 'daily_counts']) {
      values.set(`${table} (values)`, Buffer.from(JSON.stringify(await rows(`SELECT * FROM ${parquet(table)}`))));
    }
    await expectNothingPersonalIn(values);
    alphaNames = pseudonymsIn(values);

    // A second reader, Apache Arrow's: the same rows, the columns the Data Package describes, the same actors.
    const descriptor = JSON.parse(alpha.get('datapackage.json')!.toString('utf8')) as {
      resources: { name: string; schema: { fields: { name: string }[] } }[];
    };
    for (const resource of descriptor.resources) {
      const table = await readParquetWithArrow(alpha.get(`${resource.name}.parquet`)!);
      const [{ n }] = (await rows(`SELECT count(*) AS n FROM ${parquet(resource.name)}`)) as [{ n: string }];
      expect(table.numRows).toBe(Number(n));
      expect(table.schema.fields.map((field) => field.name)).toEqual(resource.schema.fields.map((field) => field.name));
    }
    const arrowEvents = await readParquetWithArrow(alpha.get('events.parquet')!);
    const arrowActors = new Set(arrowEvents.getChild('actor')!.toArray() as (string | null)[]);
    const duckActors = new Set((await rows(`SELECT actor FROM ${parquet('events')}`)).map((row) => row.actor));
    expect(arrowActors).toEqual(duckActors);
    // Timestamps in milliseconds (int64), each on the hour.
    const hours = Array.from(arrowEvents.getChild('hour')!.toArray() as BigInt64Array);
    expect(hours.length).toBe(arrowEvents.numRows);
    expect(hours.every((hour) => hour % 3_600_000n === 0n)).toBe(true);
  });

  it('exports from the CLI in a process of its own, whose heap RESEARCH_EXPORT_HEAP_MB caps', async () => {
    const env = {
      DATA_DIR: app.dataDir,
      RESEARCH_K_ANONYMITY: String(K),
      ...(app.config.database.url ? { DATABASE_URL: app.config.database.url } : {}),
    };
    const { from, to } = window();
    const args = (out: string) => [
      'export',
      '--from',
      from,
      '--to',
      to,
      '--brands',
      brand,
      '--format',
      'csv',
      '--out',
      path.join(dir, out),
    ];
    // Starved of heap, the export's own process dies; the command says why and fails.
    const starved = await runNode(distEntry('cli'), args('cli-starved'), { ...env, RESEARCH_EXPORT_HEAP_MB: '4' });
    expect(starved.stderr).toContain('ran out of memory (heap capped at 4 MB: raise RESEARCH_EXPORT_HEAP_MB)');
    expect(starved.code).not.toBe(0);

    const result = await runNode(distEntry('cli'), args('cli-export'), env);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    const events = Number(/^events\.csv: (\d+) row\(s\)/m.exec(result.stdout)?.[1]);
    const lines = (await readFile(path.join(dir, 'cli-export', 'events.csv'), 'utf8')).trim().split('\r\n');
    expect(lines).toHaveLength(events + 1);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const alphaEvents = await duck.runAndReadAll(
      `SELECT count(*) AS n FROM read_parquet('${path.join(dir, 'alpha', 'events.parquet')}')`,
    );
    expect(events).toBe(Number(alphaEvents.getRowObjectsJson()[0]!.n));
  }, 120_000);

  it('describes itself in a Data Package that validates, with checksums that hold', async () => {
    const descriptor = JSON.parse(alpha.get('datapackage.json')!.toString('utf8')) as {
      resources: { name: string; path: string; hash: string; rows: number }[];
      kAnonymity: { k: number; generalizedRows: number };
      differentialPrivacy: unknown;
    };
    const { valid, errors } = await datapackage.validate(descriptor);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
    expect(descriptor.kAnonymity.k).toBe(K);
    expect(descriptor.resources.map((resource) => resource.name)).toEqual([
      'events',
      'accounts',
      'brands',
      'invites',
      'duplicate_clusters',
      'daily_counts',
    ]);
    expect(descriptor).toMatchObject({ differentialPrivacy: { mechanism: 'Laplace', epsilonPerCell: 10 } });
    const { createHash } = await import('node:crypto');
    for (const line of alpha.get('SHA256SUMS')!.toString('utf8').trim().split('\n')) {
      const [hash, name] = line.split(/\s+/) as [string, string];
      expect(createHash('sha256').update(alpha.get(name)!).digest('hex')).toBe(hash);
    }
    const readme = alpha.get('README.md')!.toString('utf8');
    expect(readme).toMatch(/## Data-use terms/);
    expect(readme).toMatch(/## How to cite/);
    expect(readme).toMatch(new RegExp(`k = ${K}`));
    expect(readme).toMatch(/\*\*Differential privacy\.\*\*/);
  });

  it('gives a follow-up of the same project the same pseudonyms, and another project none of them', async () => {
    const again = await exported({ format: 'JSONL', project: 'alpha', brandSlugs: [brand] });
    const beta = await exported({ format: 'CSV', project: 'beta' });
    const accounts = (files: Map<string, Buffer>, name: string) =>
      files
        .get(name)!
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { account: string }).account)
        .sort();
    expect(accounts(again, 'accounts.jsonl').every((pseudonym) => alphaNames.has(pseudonym))).toBe(true);
    await expectNothingPersonalIn(again);
    await expectNothingPersonalIn(beta);
    const betaNames = pseudonymsIn(beta);
    expect(betaNames.size).toBeGreaterThan(5);
    expect([...betaNames].filter((pseudonym) => alphaNames.has(pseudonym))).toEqual([]);
    const header = beta.get('events.csv')!.toString('utf8').split('\r\n')[0];
    expect(header).toBe('actor,action,brand,target_type,target,hour,actor_flags,action_flags');
  });

  let myData: ExportJobView;

  it("gives a person their own data and no one else's", async () => {
    const [me, other] = people as [Session, Session];
    const { requestMyData } = await as<{ requestMyData: ExportJobView }>(me, `mutation { requestMyData { ${JOB} } }`);
    expect(requestMyData.format).toBe('JSONL');
    expect(await jobOf(other, requestMyData.id)).toBeNull();
    const deadline = Date.now() + 60_000;
    let job = requestMyData;
    while (job.status !== 'DONE' && job.status !== 'FAILED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await jobOf(me, job.id))!;
    }
    expect(job).toMatchObject({ status: 'DONE', error: null });
    myData = job;
    const files = await unzip(Buffer.from(await (await fetch(job.downloadUrl!)).arrayBuffer()));
    const lines = (name: string) =>
      files
        .get(name)!
        .toString('utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines('profile.jsonl')).toEqual([
      expect.objectContaining({ email: 'zephyrine.private@example.com', handle: 'zephyrine' }),
    ]);
    const [photo] = lines('photos.jsonl') as [{ id: string; caption: string; files: Record<string, string> }];
    expect(photo.caption).toBe(captions[0]);
    expect(Object.keys(photo.files).sort()).toEqual(['display', 'original', 'thumbnail']);
    // The original as uploaded (a JPEG), the renditions as served (WebP).
    expect(files.get(photo.files.original!)!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(files.get(photo.files.display!)!.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(lines('comments.jsonl').map((comment) => comment.body)).toEqual([comments[0]]);
    expect(lines('share_ledger.jsonl').length).toBeGreaterThan(0);
    const everything = [...files.values()].map((bytes) => bytes.toString('latin1')).join('\n');
    for (const secret of [other.user.handle, 'bartholomew.private@example.com', captions[1]!, comments[1]!]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('shows a job to whoever asked for it only, and records the request in the audit log', async () => {
    const { data } = await requestExport(researcher, { ...window(), format: 'CSV' });
    const id = data!.requestResearchExport.id;
    expect(fromGlobalId(id).typeName).toBe('ExportJob');
    expect(await jobOf(people[1]!, id)).toBeNull();
    await finished(id);
    const [audited] = await app.app
      .get(DataSource)
      .query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM events WHERE action = 'research.export_requested'`,
      );
    expect(audited!.count).toBeGreaterThanOrEqual(4);
  });

  // Last: the purge runs a week ahead, which expires every archive of this suite.
  it('expires an archive after RETENTION_EXPORT_ARCHIVE_DAYS: the file is gone and the job says EXPIRED, with no link', async () => {
    const [me] = people as [Session];
    const [{ key }] = (await app.app
      .get(DataSource)
      .query<{ key: string }[]>(`SELECT storage_key AS key FROM export_jobs WHERE id = $1`, [
        fromGlobalId(myData.id).localId,
      ])) as [{ key: string }];
    const storage = app.app.get(StorageDriver);
    expect(await storage.exists(key)).toBe(true);
    const summary = await app.app.get(RetentionPolicy).purge(new Date(Date.now() + 8 * 86_400_000));
    expect(summary.archives).toBeGreaterThanOrEqual(1);
    expect(await storage.exists(key)).toBe(false);
    expect(await jobOf(me, myData.id)).toMatchObject({ status: 'EXPIRED', downloadUrl: null, rows: myData.rows });
  });
});
