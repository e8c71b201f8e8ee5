import { createHmac } from 'node:crypto';

/** The kinds of ids an export names; each its own namespace, so a user and a photo never share a pseudonym. */
export type PseudonymKind =
  'user' | 'photo' | 'comment' | 'brand' | 'proposal' | 'offer' | 'invite' | 'cluster' | 'other';

/** Entries memoized at most. */
const MEMO_LIMIT = 200_000;
/**
 * The kinds worth memoizing: accounts repeat across millions of events. Targets mostly do not, and a memo
 * of them cost more (a key, a lookup, an entry to collect) than the HMAC it saved (measured on 1M events).
 */
const MEMOIZED: ReadonlySet<PseudonymKind> = new Set(['user']);

/**
 * Pseudonyms of internal ids for one research project: HMAC-SHA256 under the project's key, 128 bits in
 * hex. The same id gets the same pseudonym in every export of the project (follow-ups join), and without
 * the key no one can link a pseudonym to an id or to another project's pseudonym of the same id.
 */
export class Pseudonymizer {
  private readonly memo = new Map<string, string>();

  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new RangeError('A pseudonym key has at least 32 bytes');
  }

  of(kind: PseudonymKind, id: string): string {
    const input = `${kind}:${id}`;
    if (!MEMOIZED.has(kind)) return this.hmac(input);
    const known = this.memo.get(input);
    if (known) return known;
    const pseudonym = this.hmac(input);
    // A full memo starts again rather than growing without bound (exports stay flat in memory).
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(input, pseudonym);
    return pseudonym;
  }

  private hmac(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('hex').slice(0, 32);
  }

  /** The kind of an events-log target type (`photo`, `comment`, …); unknown types share `other`. */
  static kindOf(targetType: string | null): PseudonymKind {
    switch (targetType) {
      case 'user':
      case 'photo':
      case 'comment':
      case 'brand':
      case 'proposal':
      case 'offer':
      case 'invite':
        return targetType;
      default:
        return 'other';
    }
  }
}
