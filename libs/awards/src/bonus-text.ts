import type { Earning } from '@boardroom/game';

/** A bonus as a notification tells it: its shares, or that they wait for the review of a held account. */
export function bonusText(bonus: Earning, shares: number): string {
  return bonus.withheld ? `+${shares} shares, on hold while your account's activity is reviewed,` : `+${shares} shares`;
}
