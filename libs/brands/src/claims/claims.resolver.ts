import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  DomainError,
  NodeRegistry,
  isUuid,
  connectionFromRows,
  localIdOf,
  type Connection,
} from '@boardroom/core';
import { Authenticated, CurrentUser, Role, Roles, UserDto, UsersService, type Viewer } from '@boardroom/accounts';
import { BrandsService } from '../brands.service.js';
import { BrandDto } from '../dto/brand.dto.js';
import type { ClaimStatus } from './claim.record.js';
import { ClaimsService } from './claims.service.js';
import { BrandClaimConnection, BrandClaimDto, ClaimStatusEnum } from './dto/brand-claim.dto.js';

@Resolver(() => BrandClaimDto)
export class ClaimsResolver implements OnModuleInit {
  constructor(
    private readonly claims: ClaimsService,
    private readonly brands: BrandsService,
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('BrandClaim', BrandClaimDto, async (id, context) => {
      const claim = isUuid(id) ? await this.claims.findById(id) : null;
      return claim && this.claims.canSee(claim, (context.user as Viewer | null) ?? null)
        ? BrandClaimDto.from(claim)
        : null;
    });
  }

  @Mutation(() => BrandClaimDto, {
    description: 'Needs a verified email. Place the verificationToken as described in docs/brand-guide.md.',
  })
  @Authenticated()
  async claimBrand(@Args('slug') slug: string, @CurrentUser() viewer: Viewer): Promise<BrandClaimDto> {
    return BrandClaimDto.from(await this.claims.claim(slug, viewer));
  }

  @Query(() => BrandClaimConnection, { description: 'ADMIN. Oldest first.' })
  @Roles(Role.ADMIN)
  async brandClaims(
    @Args() args: ConnectionArgs,
    @Args('status', { type: () => ClaimStatusEnum, defaultValue: 'PENDING' }) status: ClaimStatus,
  ): Promise<Connection<BrandClaimDto>> {
    const rows = await this.claims.list(status, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.createdAt.toISOString(), row.id],
      (row) => BrandClaimDto.from(row),
    );
  }

  @Mutation(() => BrandClaimDto, { description: 'ADMIN, never the claimant.' })
  @Roles(Role.ADMIN)
  async decideBrandClaim(
    @Args('id', { type: () => ID }) id: string,
    @Args('approve') approve: boolean,
    @CurrentUser() admin: Viewer,
  ): Promise<BrandClaimDto> {
    return BrandClaimDto.from(await this.claims.decide(localIdOf('BrandClaim', id), approve, admin));
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() claim: BrandClaimDto, @Context() context: object): Promise<BrandDto> {
    const brand = await this.brands.loadById(context, claim.record.brandId);
    if (!brand) throw DomainError.notFound('The brand of this claim');
    return BrandDto.from(brand);
  }

  @ResolveField(() => UserDto)
  async claimant(@Parent() claim: BrandClaimDto, @Context() context: object): Promise<UserDto> {
    const user = await this.users.loadById(context, claim.record.claimantId);
    if (!user) throw DomainError.notFound('The claimant');
    return UserDto.from(user);
  }

  @ResolveField(() => String, { nullable: true, description: 'The claimant and administrators only.' })
  verificationToken(@Parent() claim: BrandClaimDto, @CurrentUser() viewer: Viewer | null): string | null {
    return this.claims.canSee(claim.record, viewer) ? claim.record.verificationToken : null;
  }
}
