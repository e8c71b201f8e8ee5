/**
 * An email address as the self-invite check compares it (GAME.md: "equal after removing dots and `+tags`
 * from the local part"): lower-case, the local part without its `+tag` and without dots. Dots are removed
 * for every domain, not only for providers that ignore them: the rule is about spotting one person's
 * second address, and a false match only withholds an invite's 25 shares.
 */
export function comparableEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const local = address.slice(0, at);
  const plus = local.indexOf('+');
  return `${(plus < 0 ? local : local.slice(0, plus)).replaceAll('.', '')}${address.slice(at)}`;
}
