import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  DomainError,
  NodeRegistry,
  connectionFromRows,
  isUuid,
  type Connection,
} from '@boardroom/core';
import {
  Authenticated,
  Client,
  CurrentUser,
  UserDto,
  UsersService,
  type ClientInfo,
  type Viewer,
} from '@boardroom/accounts';
import { BrandsService } from '../brands.service.js';
import { BrandDto } from '../dto/brand.dto.js';
import { CampaignsService } from './campaigns.service.js';
import { CampaignConnection, CampaignDto } from './dto/campaign.dto.js';

@Resolver(() => CampaignDto)
export class CampaignsResolver implements OnModuleInit {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly brands: BrandsService,
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    // A campaign is the brand's business: its managers and administrators only.
    this.nodes.register('Campaign', CampaignDto, async (id, context) => {
      const campaign = isUuid(id) ? await this.campaigns.findById(id) : null;
      const viewer = (context.user as Viewer | null) ?? null;
      return campaign && viewer && (await this.brands.canManage(viewer, campaign.brandId))
        ? CampaignDto.from(campaign)
        : null;
    });
  }

  @Mutation(() => CampaignDto, {
    description:
      'The brand’s managers and administrators (FORBIDDEN otherwise). BAD_USER_INPUT with fields: name 3–120 characters, endsAt after startsAt, at most 31 days.',
  })
  @Authenticated()
  async declareCampaign(
    @Args('brandSlug') brandSlug: string,
    @Args('name') name: string,
    @Args('startsAt') startsAt: Date,
    @Args('endsAt') endsAt: Date,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<CampaignDto> {
    const campaign = await this.campaigns.declare({ brandSlug, name, startsAt, endsAt }, viewer, {
      networkFingerprint: client.ip,
      deviceFingerprint: client.deviceId,
    });
    return CampaignDto.from(campaign);
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() campaign: CampaignDto, @Context() context: object): Promise<BrandDto> {
    const brand = await this.brands.loadById(context, campaign.record.brandId);
    if (!brand) throw DomainError.notFound('The brand of this campaign');
    return BrandDto.from(brand);
  }

  @ResolveField(() => UserDto, { nullable: true, description: 'Who declared it.' })
  async createdBy(@Parent() campaign: CampaignDto, @Context() context: object): Promise<UserDto | null> {
    const user = await this.users.loadById(context, campaign.record.createdBy);
    return user ? UserDto.from(user) : null;
  }
}

/** `Brand.campaigns`: null for anyone but the brand's managers and administrators, like `Brand.managers`. */
@Resolver(() => BrandDto)
export class BrandCampaignsResolver {
  constructor(
    private readonly campaignsService: CampaignsService,
    private readonly brands: BrandsService,
  ) {}

  @ResolveField(() => CampaignConnection, {
    nullable: true,
    description: 'Latest start first. The brand’s managers and administrators only (null for others).',
  })
  async campaigns(
    @Parent() brand: BrandDto,
    @Args() args: ConnectionArgs,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<Connection<CampaignDto> | null> {
    if (!viewer || !(await this.brands.canManage(viewer, brand.record.id))) return null;
    const rows = await this.campaignsService.list(brand.record.id, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.startsAt.toISOString(), row.id],
      (row) => CampaignDto.from(row),
    );
  }
}
