import { Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { UserDto } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { AWARD_CODES } from '@boardroom/game';
import { AwardDefinitionDto, UserAwardDto } from './dto/award.dto.js';
import { AwardsService } from './awards.service.js';

@Resolver(() => UserAwardDto)
export class AwardsResolver {
  constructor(private readonly brands: BrandsService) {}

  @Query(() => [AwardDefinitionDto], { description: 'Every award there is, as the rules declare it.' })
  awardDefinitions(): AwardDefinitionDto[] {
    return AWARD_CODES.map((code) => AwardDefinitionDto.of(code));
  }

  @ResolveField(() => AwardDefinitionDto)
  award(@Parent() award: UserAwardDto): AwardDefinitionDto {
    return AwardDefinitionDto.of(award.record.code);
  }

  @ResolveField(() => BrandDto, { nullable: true, description: 'The brand of a per-brand award.' })
  async brand(@Parent() award: UserAwardDto, @Context() context: object): Promise<BrandDto | null> {
    const brand = award.record.brandId ? await this.brands.loadById(context, award.record.brandId) : null;
    return brand ? BrandDto.from(brand) : null;
  }
}

@Resolver(() => UserDto)
export class UserAwardsResolver {
  constructor(private readonly awardsService: AwardsService) {}

  @ResolveField(() => [UserAwardDto], { description: 'Newest first; public.' })
  async awards(@Parent() user: UserDto, @Context() context: object): Promise<UserAwardDto[]> {
    return (await this.awardsService.loadOfUser(context, user.record.id)).map((award) => UserAwardDto.from(award));
  }
}
