/** The quasi-identifiers of an account in an export: what could single a person out in combination. */
export interface QuasiIdentifiers {
  /** ISO week of sign-up, e.g. `2026-W07`. */
  signupWeek: string;
  /** In how many brands the account holds a title. */
  brands: number;
  /** Its highest title. */
  topTitle: string;
}

/** What an account's quasi-identifiers are published as, after generalization. */
export interface PublishedIdentifiers {
  signupWeek: string;
  brands: string;
  topTitle: string;
  /** 0: as they are; higher: more generalized (see {@link GENERALIZATION_LEVELS}). */
  level: number;
}

type Generalize = (ids: QuasiIdentifiers) => Omit<PublishedIdentifiers, 'level'>;

/** `2026-W07` → its year and week number. */
function parseWeek(week: string): { year: number; week: number } {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new RangeError(`Not an ISO week: ${week}`);
  return { year: Number(match[1]), week: Number(match[2]) };
}

/** The weeks of `year` in buckets of `size`: `2026-W05..W08`. */
function weekBucket(week: string, size: number): string {
  const { year, week: number } = parseWeek(week);
  const first = Math.floor((number - 1) / size) * size + 1;
  const last = Math.min(first + size - 1, 53);
  return `${year}-W${String(first).padStart(2, '0')}..W${String(last).padStart(2, '0')}`;
}

const capped = (brands: number, cap: number): string => (brands >= cap ? `${cap}+` : String(brands));

/** Titles in three bands, for the coarsest levels. */
function titleBand(title: string): string {
  if (title === 'INTERN' || title === 'ASSOCIATE') return 'JUNIOR';
  if (title === 'MANAGER' || title === 'DIRECTOR') return 'MIDDLE';
  return 'SENIOR';
}

/**
 * From exact to fully suppressed. Each level's published values have their own shape (a week, a range of
 * weeks, a year, `*`), so classes of different levels never merge in the published data.
 */
export const GENERALIZATION_LEVELS: readonly Generalize[] = [
  (ids) => ({ signupWeek: ids.signupWeek, brands: capped(ids.brands, 10), topTitle: ids.topTitle }),
  (ids) => ({ signupWeek: weekBucket(ids.signupWeek, 4), brands: capped(ids.brands, 5), topTitle: ids.topTitle }),
  (ids) => ({
    signupWeek: weekBucket(ids.signupWeek, 13),
    brands: capped(ids.brands, 3),
    topTitle: titleBand(ids.topTitle),
  }),
  (ids) => ({ signupWeek: String(parseWeek(ids.signupWeek).year), brands: capped(ids.brands, 2), topTitle: '*' }),
  () => ({ signupWeek: '*', brands: '*', topTitle: '*' }),
];

const keyOf = (values: Omit<PublishedIdentifiers, 'level'>): string =>
  `${values.signupWeek}|${values.brands}|${values.topTitle}`;

export interface GeneralizationPlan {
  /** The published identifiers of an account, by its exact quasi-identifiers. */
  publish(ids: QuasiIdentifiers): PublishedIdentifiers;
  /** Accounts published with generalized (level > 0) identifiers. */
  generalized: number;
  /** Accounts whose identifiers were suppressed entirely (the last level). */
  suppressed: number;
}

/**
 * k-anonymity by local recoding over the classes of exact quasi-identifiers and their sizes: level by level,
 * the accounts not placed yet are grouped by that level's generalization, and every group of at least `k`
 * is published at that level. What is left at the end is suppressed (`*`). Every published combination
 * is then shared by at least `k` accounts, or is the fully suppressed one. Works on class counts (small),
 * so the accounts themselves can be streamed.
 */
export function planGeneralization(
  classes: readonly { ids: QuasiIdentifiers; count: number }[],
  k: number,
): GeneralizationPlan {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const placed = new Map<string, PublishedIdentifiers>();
  let remaining = classes.filter((entry) => entry.count > 0);
  let generalized = 0;
  let suppressed = 0;
  GENERALIZATION_LEVELS.forEach((generalize, level) => {
    const last = level === GENERALIZATION_LEVELS.length - 1;
    const groups = new Map<
      string,
      { values: Omit<PublishedIdentifiers, 'level'>; members: typeof remaining; size: number }
    >();
    for (const entry of remaining) {
      const values = generalize(entry.ids);
      const key = keyOf(values);
      const group = groups.get(key) ?? { values, members: [], size: 0 };
      group.members.push(entry);
      group.size += entry.count;
      groups.set(key, group);
    }
    const next: typeof remaining = [];
    for (const group of groups.values()) {
      if (group.size < k && !last) {
        next.push(...group.members);
        continue;
      }
      for (const member of group.members)
        placed.set(keyOf(GENERALIZATION_LEVELS[0]!(member.ids)), { ...group.values, level });
      if (level > 0) generalized += group.size;
      if (last) suppressed += group.size;
    }
    remaining = next;
  });
  return {
    generalized,
    suppressed,
    publish(ids) {
      const found = placed.get(keyOf(GENERALIZATION_LEVELS[0]!(ids)));
      if (!found) throw new Error(`No class for ${JSON.stringify(ids)}: the plan was made without it`);
      return found;
    },
  };
}
