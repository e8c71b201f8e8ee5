import fc from 'fast-check';
import { fallbackSlug, firstFreeSlug, foldBrandName, slugBase, websiteDomain } from './brand-names.js';

describe('brand names', () => {
  it('fold "Nutella", "nutella!" and "NUTELLA®" to one form', () => {
    expect(new Set(['Nutella', 'nutella!', 'NUTELLA®', '  Nutella™ '].map(foldBrandName))).toEqual(
      new Set(['nutella']),
    );
    expect(foldBrandName('Crème de la Crème')).toBe('creme de la creme');
    expect(foldBrandName('Ben & Jerry’s')).toBe('ben jerry s');
  });

  it('make slugs of Latin letters and digits, accents folded, hyphenated', () => {
    expect(slugBase('Crème Brûlée Co.')).toBe('creme-brulee-co');
    expect(slugBase('Ben & Jerry’s')).toBe('ben-and-jerry-s');
    expect(slugBase('7-Eleven')).toBe('7-eleven');
    expect(slugBase('ブランド')).toBeNull();
    expect(fallbackSlug()).toMatch(/^brand-[0-9a-f]{10}$/);
  });

  it('always make valid slugs or none', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        const slug = slugBase(name);
        if (slug !== null) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
    );
  });

  it('number a taken slug', () => {
    expect(firstFreeSlug('acme', new Set())).toBe('acme');
    expect(firstFreeSlug('acme', new Set(['acme', 'acme-2']))).toBe('acme-3');
  });

  it('identify a website by its domain', () => {
    for (const website of [
      'https://www.nutella.com/fr/',
      'http://nutella.com',
      'nutella.com',
      'WWW.Nutella.COM/about?x=1',
    ]) {
      expect(websiteDomain(website)).toBe('nutella.com');
    }
    expect(() => websiteDomain('javascript:alert(1)')).toThrow();
    expect(() => websiteDomain('ftp://nutella.com')).toThrow();
    expect(() => websiteDomain('localhost')).toThrow();
  });
});
