import type { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs, NodeRegistry, isUuid, connectionFromRows, type Connection } from '@boardroom/core';
import {
  Authenticated,
  Client,
  CurrentUser,
  Role,
  UserDto,
  UsersService,
  type ClientInfo,
  type Viewer,
} from '@boardroom/accounts';
import { BrandsService } from './brands.service.js';
import { BrandConnection, BrandDto } from './dto/brand.dto.js';
import { CreateBrandInput } from './dto/create-brand.input.js';

@Resolver(() => BrandDto)
export class BrandsResolver implements OnModuleInit {
  constructor(
    private readonly brandsService: BrandsService,
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Brand', BrandDto, async (id) => {
      const brand = isUuid(id) ? await this.brandsService.findById(id) : null;
      return brand ? BrandDto.from(brand) : null;
    });
  }

  @Query(() => BrandDto, { nullable: true })
  async brand(@Args('slug') slug: string): Promise<BrandDto | null> {
    const brand = await this.brandsService.findBySlug(slug);
    return brand ? BrandDto.from(brand) : null;
  }

  @Query(() => BrandConnection, {
    description:
      'With `search`, the most similar names first, then the most popular (most published photos); without, the most popular first.',
  })
  async brands(
    @Args() args: ConnectionArgs,
    @Args('search', { type: () => String, nullable: true }) search?: string | null,
  ): Promise<Connection<BrandDto>> {
    const rows = await this.brandsService.search(search, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.rank, row.photoCount, row.slug],
      (row) => BrandDto.from(row),
    );
  }

  @Mutation(() => BrandDto, {
    description:
      'CONFLICT with reason DUPLICATE_BRAND, extensions.existingSlug and candidates, unless confirmDistinct.',
  })
  @Authenticated()
  async createBrand(
    @Args('input') input: CreateBrandInput,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<BrandDto> {
    const brand = await this.brandsService.create(input, viewer, {
      networkFingerprint: client.ip,
      deviceFingerprint: client.deviceId,
    });
    return BrandDto.from(brand);
  }

  @ResolveField(() => [UserDto], { nullable: true, description: 'The brand’s managers and administrators only.' })
  async managers(@Parent() brand: BrandDto, @CurrentUser() viewer: Viewer | null): Promise<UserDto[] | null> {
    if (!viewer) return null;
    // One query for the ids answers both who the managers are and whether the viewer is one.
    const ids = await this.brandsService.managerIds(brand.record.id);
    if (!viewer.roles.includes(Role.ADMIN) && !ids.includes(viewer.id)) return null;
    return (await this.users.findByIds(ids)).map((user) => UserDto.from(user));
  }
}
