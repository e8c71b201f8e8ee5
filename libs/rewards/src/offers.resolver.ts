import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  DomainError,
  NodeRegistry,
  connectionFromRows,
  isUuid,
  localIdOf,
  type Connection,
} from '@boardroom/core';
import { Authenticated, CurrentUser, UserDto, UsersService, type Viewer } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { CreateOfferInput } from './dto/create-offer.input.js';
import { OfferDto, RedemptionConnection, RedemptionDto } from './dto/offer.dto.js';
import { OffersService } from './offers.service.js';

/** The local id of an offer or redemption id; NOT_FOUND for one that cannot exist. */
function rowIdOf(typeName: 'Offer' | 'Redemption', globalId: string, field: string): string {
  const id = localIdOf(typeName, globalId, field);
  if (!isUuid(id)) throw DomainError.notFound(`The ${typeName.toLowerCase()}`);
  return id;
}

@Resolver(() => OfferDto)
export class OffersResolver implements OnModuleInit {
  constructor(
    private readonly offers: OffersService,
    private readonly brands: BrandsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Offer', OfferDto, async (id) => {
      const offer = isUuid(id) ? await this.offers.findOffer(id) : null;
      return offer ? OfferDto.from(offer) : null;
    });
  }

  @Mutation(() => OfferDto, { description: 'The brand’s managers.' })
  @Authenticated()
  async createOffer(
    @Args('brandSlug') brandSlug: string,
    @Args('input') input: CreateOfferInput,
    @CurrentUser() viewer: Viewer,
  ): Promise<OfferDto> {
    return OfferDto.from(await this.offers.create(brandSlug, input, viewer));
  }

  @Mutation(() => OfferDto, { description: 'The brand’s managers; closing a closed offer changes nothing.' })
  @Authenticated()
  async closeOffer(@Args('id', { type: () => ID }) id: string, @CurrentUser() viewer: Viewer): Promise<OfferDto> {
    return OfferDto.from(await this.offers.close(rowIdOf('Offer', id, 'id'), viewer));
  }

  @Mutation(() => RedemptionDto, {
    description:
      'Never more than stock, at most once per user. FORBIDDEN below minTitle; CONFLICT with reason SOLD_OUT, ALREADY_REDEEMED or OFFER_CLOSED; BAD_USER_INPUT outside the window or with too little balance.',
  })
  @Authenticated()
  async redeemOffer(
    @Args('offerId', { type: () => ID }) offerId: string,
    @Args('shareProfileWithBrand', { type: () => Boolean, defaultValue: false }) shareProfileWithBrand: boolean,
    @CurrentUser() viewer: Viewer,
  ): Promise<RedemptionDto> {
    return RedemptionDto.from(
      await this.offers.redeem(rowIdOf('Offer', offerId, 'offerId'), shareProfileWithBrand, viewer),
    );
  }

  @Mutation(() => RedemptionDto, {
    description:
      'The brand’s managers, at the till. CONFLICT ALREADY_USED the second time; NOT_FOUND for an unknown code.',
  })
  @Authenticated()
  async markRedemptionUsed(@Args('code') code: string, @CurrentUser() viewer: Viewer): Promise<RedemptionDto> {
    return RedemptionDto.from(await this.offers.markUsed(code, viewer));
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() offer: OfferDto, @Context() context: object): Promise<BrandDto> {
    return BrandDto.from((await this.brands.loadById(context, offer.record.brandId))!);
  }

  @ResolveField(() => Boolean, { description: 'For the caller.' })
  async canRedeem(
    @Parent() offer: OfferDto,
    @CurrentUser() viewer: Viewer | null,
    @Context() context: object,
  ): Promise<boolean> {
    return viewer !== null && (await this.offers.blockFor(context, offer.record, viewer)) === null;
  }

  @ResolveField(() => String, { nullable: true, description: 'For the caller, when canRedeem is false.' })
  async redeemBlockedReason(
    @Parent() offer: OfferDto,
    @CurrentUser() viewer: Viewer | null,
    @Context() context: object,
  ): Promise<string | null> {
    if (!viewer) return 'Sign in to redeem offers.';
    return (await this.offers.blockFor(context, offer.record, viewer))?.message ?? null;
  }

  @ResolveField(() => RedemptionConnection, { nullable: true, description: 'The brand’s managers only; newest first.' })
  async redemptions(
    @Parent() offer: OfferDto,
    @Args() args: ConnectionArgs,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<Connection<RedemptionDto> | null> {
    const rows = await this.offers.redemptions(offer.record, viewer, args.first, args.after);
    if (!rows) return null;
    return connectionFromRows(
      rows,
      args,
      (row) => [row.createdKey, row.id],
      (row) => RedemptionDto.from(row),
    );
  }
}

@Resolver(() => RedemptionDto)
export class RedemptionsResolver implements OnModuleInit {
  constructor(
    private readonly offers: OffersService,
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Redemption', RedemptionDto, async (id, context) => {
      const redemption = isUuid(id) ? await this.offers.findRedemption(id) : null;
      if (!redemption) return null;
      const visible = await this.offers.canSee(redemption, (context.user as Viewer | null) ?? null);
      return visible.redemption ? RedemptionDto.from(redemption) : null;
    });
  }

  @ResolveField(() => OfferDto)
  async offer(@Parent() redemption: RedemptionDto): Promise<OfferDto> {
    return OfferDto.from((await this.offers.findOffer(redemption.record.offerId))!);
  }

  @ResolveField(() => UserDto, {
    nullable: true,
    description: 'The redeemer: to themselves, and to the brand’s managers only when they shared their profile.',
  })
  async user(
    @Parent() redemption: RedemptionDto,
    @CurrentUser() viewer: Viewer | null,
    @Context() context: object,
  ): Promise<UserDto | null> {
    if (!(await this.offers.canSee(redemption.record, viewer)).user) return null;
    return UserDto.from((await this.users.loadById(context, redemption.record.userId))!);
  }
}

@Resolver(() => BrandDto)
export class BrandOffersResolver {
  constructor(private readonly offersService: OffersService) {}

  @ResolveField(() => [OfferDto], {
    description: 'Newest first, at most 100; activeOnly: open, in stock, not expired.',
  })
  async offers(
    @Parent() brand: BrandDto,
    @Args('activeOnly', { type: () => Boolean, defaultValue: true }) activeOnly: boolean,
  ): Promise<OfferDto[]> {
    return (await this.offersService.brandOffers(brand.record.id, activeOnly)).map((offer) => OfferDto.from(offer));
  }
}
