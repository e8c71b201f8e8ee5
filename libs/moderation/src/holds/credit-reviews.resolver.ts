import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, Role, Roles, UserDto, isStaff, type Viewer } from '@boardroom/accounts';
import { CreditHoldDecisionEnum, CreditHoldDto } from './credit-hold.dto.js';
import { CreditReviews, type CreditHoldDecision } from './credit-reviews.service.js';

@Resolver(() => UserDto)
export class CreditReviewsResolver {
  constructor(private readonly reviews: CreditReviews) {}

  @Mutation(() => Boolean, {
    description:
      'A user whose credit is withheld as suspicious asks a moderator to review their account (NOT_FOUND when nothing is withheld; CONFLICT ALREADY_APPEALED).',
  })
  @Authenticated()
  appealFlag(@Args('reason') reason: string, @CurrentUser() viewer: Viewer): Promise<boolean> {
    return this.reviews.appeal(viewer, reason);
  }

  @Mutation(() => Boolean, {
    description: "MODERATOR. Decides on a held account's credit: CLEAR releases it, CONFIRM forfeits and reverses it.",
  })
  @Roles(Role.MODERATOR, Role.ADMIN)
  decideCreditHold(
    @Args('handle') handle: string,
    @Args('decision', { type: () => CreditHoldDecisionEnum }) decision: CreditHoldDecision,
    @Args('reason') reason: string,
    @CurrentUser() moderator: Viewer,
  ): Promise<boolean> {
    return this.reviews.decide(moderator, handle, decision, reason);
  }

  @ResolveField(() => CreditHoldDto, {
    nullable: true,
    description: "The account's credit hold, if it ever had one: for the user themself and staff (null for others).",
  })
  async creditHold(@Parent() user: UserDto, @CurrentUser() viewer: Viewer | null): Promise<CreditHoldDto | null> {
    const staff = isStaff(viewer);
    if (!staff && viewer?.id !== user.record.id) return null;
    const hold = await this.reviews.holdOf(user.record.id);
    return hold ? CreditHoldDto.from(hold, staff) : null;
  }
}
