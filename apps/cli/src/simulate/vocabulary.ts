import type { Prng } from './prng.js';

// Every account, organic or planted, is named by the same generator: a detector must not be able to
// tell fraud by its handle.
const FIRST = [
  'ada',
  'ben',
  'cleo',
  'dan',
  'eva',
  'finn',
  'gia',
  'hugo',
  'iris',
  'jon',
  'kai',
  'lena',
  'milo',
  'nora',
  'omar',
  'pia',
  'quinn',
  'rosa',
  'sam',
  'tara',
  'ugo',
  'vera',
  'wes',
  'xena',
  'yara',
  'zoe',
  'aiko',
  'bruno',
  'chloe',
  'diego',
  'elif',
  'femi',
  'greta',
  'hana',
  'ivan',
  'jade',
  'kofi',
  'luca',
  'maya',
  'nils',
];
const LAST = [
  'abara',
  'berg',
  'costa',
  'dahl',
  'evans',
  'fischer',
  'garcia',
  'haas',
  'ito',
  'jensen',
  'kowal',
  'lopez',
  'moreau',
  'nakamura',
  'okafor',
  'petrov',
  'quist',
  'rossi',
  'silva',
  'tanaka',
  'ueda',
  'varga',
  'weber',
  'xu',
  'yilmaz',
  'zhou',
  'alves',
  'brandt',
  'chen',
  'duarte',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ven', 'tor', 'sa', 'lu', 'ne', 'qua', 'zi', 'bo', 'der', 'fa', 'gri', 'ho'];

const OPENERS = [
  'Love',
  'Great shot of',
  'Really like',
  'Beautiful',
  'So good:',
  'Nice angle on',
  'Classic',
  'Finally,',
  'Cannot get enough of',
  'Wow,',
  'Big fan of',
  'Happy to see',
  'Been waiting for',
  'Stunning',
];
const SUBJECTS = [
  'the colours',
  'this one',
  'the light here',
  'the new design',
  'that detail',
  'the packaging',
  'this setup',
  'the whole vibe',
  'the logo placement',
  'the texture',
  'the composition',
  'your style',
];
const ENDINGS = ['!', '.', ' :)', ', where was this taken?', ', more please.', '!!', ', saved it.', ' - well done.'];
const FARM_BODIES = ['great!!', 'love it', 'amazing', 'so cool', 'nice pic', 'best brand', 'wow wow', 'awesome'];

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A person's display name and a handle (3 to 30 of a-z, 0-9, _) not in `taken`, which it joins. */
export function uniquePerson(rng: Prng, taken: Set<string>): { handle: string; displayName: string } {
  for (;;) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const handle = `${first}_${last}${rng.int(1, 999)}`;
    if (taken.has(handle)) continue;
    taken.add(handle);
    return { handle, displayName: `${capitalized(first)} ${capitalized(last)}` };
  }
}

/** A made-up brand name of three syllables. */
export function pseudoWord(rng: Prng): string {
  return capitalized(Array.from({ length: 3 }, () => rng.pick(SYLLABLES)).join(''));
}

/** An ordinary comment: varied enough that the repeat rule rarely bites. */
export function commentBody(rng: Prng): string {
  return `${rng.pick(OPENERS)} ${rng.pick(SUBJECTS)}${rng.pick(ENDINGS)}`;
}

/** A farm's comment: mostly short stock phrases, now and then an ordinary one. */
export function farmCommentBody(rng: Prng): string {
  return rng.chance(0.7) ? rng.pick(FARM_BODIES) : commentBody(rng);
}
