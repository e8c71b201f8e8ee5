import fc from 'fast-check';
import { DomainError } from '../../errors/domain-error.js';
import { connectionComplexity, connectionFromRows } from './connection.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { fromGlobalId, localIdOf, toGlobalId } from './global-id.js';

describe('global ids', () => {
  it('round-trip any type name and local id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/), fc.string({ minLength: 1 }), (typeName, localId) => {
        expect(fromGlobalId(toGlobalId(typeName, localId))).toEqual({ typeName, localId });
      }),
    );
  });

  it('refuse malformed ids and ids of another type with BAD_USER_INPUT', () => {
    for (const bad of [
      '',
      '%%%',
      Buffer.from('nocolon').toString('base64url'),
      Buffer.from(':1').toString('base64url'),
    ]) {
      expect(() => fromGlobalId(bad)).toThrow(DomainError);
    }
    expect(() => localIdOf('Brand', toGlobalId('User', '1'))).toThrow(/not the id of a Brand/);
    expect(localIdOf('User', toGlobalId('User', 'abc'))).toBe('abc');
  });
});

describe('cursors', () => {
  it('round-trip sort keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 4 }),
        (key) => {
          expect(decodeCursor(encodeCursor(key), key.length)).toEqual(key);
        },
      ),
    );
  });

  it('refuse a cursor of another shape', () => {
    expect(() => decodeCursor(encodeCursor(['a', 1]), 3)).toThrow(/not valid for this list/);
    expect(() => decodeCursor('garbage', 1)).toThrow(DomainError);
  });
});

describe('connectionFromRows', () => {
  it('uses the extra row only to tell that a next page exists', () => {
    const page = connectionFromRows(
      [1, 2, 3],
      { first: 2, after: null },
      (n) => [n],
      (n) => ({ n }),
    );
    expect(page.edges.map((e) => e.node)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor([1]),
      endCursor: encodeCursor([2]),
    });
  });

  it('describes an empty last page', () => {
    expect(
      connectionFromRows(
        [],
        { first: 5, after: encodeCursor([9]) },
        (n: number) => [n],
        (n) => n,
      ).pageInfo,
    ).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });

  it('costs its children once per requested item', () => {
    expect(connectionComplexity({ args: { first: 50 }, childComplexity: 3 })).toBe(150);
    expect(connectionComplexity({ args: {}, childComplexity: 0 })).toBe(20);
  });
});
