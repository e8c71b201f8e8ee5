import { DomainError } from '@boardroom/core';
import { assertAcceptablePassword, passwordProblems } from './password-policy.js';

const context = { email: 'Ada.Lovelace@example.com', handle: 'countess_of_lovelace' };

describe('passwordProblems', () => {
  it('accepts a long, unrelated password', () => {
    expect(passwordProblems('analytical engine 1843', context)).toEqual([]);
  });

  it('refuses 9 characters and accepts 10', () => {
    expect(passwordProblems('123456789', context)).toEqual(['must be at least 10 characters']);
    expect(passwordProblems('1234567890', context)).toEqual([]);
  });

  it('counts code points: 10 emoji are 10 characters (20 UTF-16 units)', () => {
    const emoji = '🔐'.repeat(10);
    expect(emoji).toHaveLength(20);
    expect(passwordProblems(emoji, context)).toEqual([]);
    expect(passwordProblems('🔐'.repeat(9), context)).toEqual(['must be at least 10 characters']);
  });

  it('refuses more than 256 characters', () => {
    expect(passwordProblems('x'.repeat(256), context)).toEqual([]);
    expect(passwordProblems('x'.repeat(257), context)).toEqual(['must be at most 256 characters']);
  });

  it('refuses the email in another case, with spaces around it', () => {
    expect(passwordProblems('  ada.LOVELACE@EXAMPLE.com ', context)).toEqual(['must not be your email address']);
  });

  it('refuses the local part of the email', () => {
    expect(passwordProblems('ADA.LOVELACE', context)).toEqual([
      'must not be the part of your email address before the @',
    ]);
  });

  it('refuses the handle', () => {
    expect(passwordProblems('Countess_Of_Lovelace', context)).toEqual(['must not be your handle']);
  });
});

describe('assertAcceptablePassword', () => {
  it('passes an acceptable password', () => {
    expect(() => assertAcceptablePassword('analytical engine 1843', context)).not.toThrow();
  });

  it('throws BAD_USER_INPUT with one field entry per problem', () => {
    const shortHandle = { email: 'ada@example.com', handle: 'ada' };
    let error: unknown;
    try {
      assertAcceptablePassword(' ADA ', shortHandle, 'input.password');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/^Choose a stronger password: /),
      details: {
        fields: [
          { field: 'input.password', message: 'must be at least 10 characters' },
          { field: 'input.password', message: 'must not be the part of your email address before the @' },
          { field: 'input.password', message: 'must not be your handle' },
        ],
      },
    });
  });

  it('names the field "password" by default', () => {
    expect(() => assertAcceptablePassword('short', context)).toThrow(
      expect.objectContaining({
        details: { fields: [{ field: 'password', message: 'must be at least 10 characters' }] },
      }),
    );
  });
});
