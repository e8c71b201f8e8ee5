import { randomBytes } from 'node:crypto';

/**
 * Accents and trademark signs off: "Crème™" → "Creme". The signs go first:
 * NFKD would turn ™ into the letters "TM". NFKD also splits ligatures and
 * full-width forms.
 */
function withoutAccents(text: string): string {
  return text
    .replace(/[®™©℠]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

/**
 * The form names are compared in: accents, case, punctuation and ®/™/©
 * removed, so "Nutella", "nutella!" and "NUTELLA®" are the same.
 */
export function foldBrandName(name: string): string {
  return withoutAccents(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The slug a name asks for: Latin letters and digits, hyphenated; null when it has none. */
export function slugBase(name: string): string | null {
  const slug = withoutAccents(name)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug.length > 0 ? slug : null;
}

/** A short id-based slug for a name without Latin letters or digits ("ブランド"). */
export function fallbackSlug(): string {
  return `brand-${randomBytes(5).toString('hex')}`;
}

/** The first of `base`, `base-2`, `base-3`… not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The domain a website identifies a brand by: scheme, "www." and path dropped,
 * lower-case. Throws on what is not an http(s) address.
 */
export function websiteDomain(website: string): string {
  const trimmed = website.trim();
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not an http(s) address');
  if (!url.hostname.includes('.')) throw new Error('not a public host name');
  return url.hostname
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.$/, '');
}
