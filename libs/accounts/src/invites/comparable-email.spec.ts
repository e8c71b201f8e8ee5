import { comparableEmail } from './comparable-email.js';

describe('comparableEmail', () => {
  it.each([
    ['A.li.ce+x@Example.com', 'alice@example.com'],
    ['alice@example.com', 'alice@example.com'],
    ['alice+x@example.com', 'alice@example.com'],
    ['a.lice@example.com', 'alice@example.com'],
    ['alice+x+y@example.com', 'alice@example.com'],
    ['  Bob.Smith+news@Mail.Example.ORG ', 'bobsmith@mail.example.org'],
  ])('%s compares as %s', (email, expected) => {
    expect(comparableEmail(email)).toBe(expected);
  });

  it('removes dots for any domain, and only in the local part', () => {
    expect(comparableEmail('j.doe@my.company.co.uk')).toBe('jdoe@my.company.co.uk');
  });

  it('keeps the domains apart', () => {
    expect(comparableEmail('alice@example.com')).not.toBe(comparableEmail('alice@example.org'));
  });

  it('tells different people apart', () => {
    expect(comparableEmail('alice@example.com')).not.toBe(comparableEmail('alicia@example.com'));
  });
});
