import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs, NodeRegistry, connectionFromRows, type Connection } from '@boardroom/core';
import { CurrentUser, UserDto, UsersService, type Viewer } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { PhotoDto, PhotoLoaders, PhotosService } from '@boardroom/photos';
import type { EmploymentRecord } from '../ledger/ledger.types.js';
import { EmploymentConnection, EmploymentDto, LedgerConnection, LedgerEntryDto } from './dto/employment.dto.js';
import { EmploymentsService } from './employments.service.js';

@Resolver(() => EmploymentDto)
export class EmploymentsResolver implements OnModuleInit {
  constructor(
    private readonly employments: EmploymentsService,
    private readonly users: UsersService,
    private readonly brands: BrandsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    // Employments are public, as on the leaderboards.
    this.nodes.register('Employment', EmploymentDto, async (id, context) => {
      const employment = await this.employments.loadById(context, id);
      return employment ? EmploymentDto.from(employment) : null;
    });
  }

  // `user` and `rank` are resolved for every row of a board. Without parameter decorators Nest binds
  // them as plain GraphQL resolvers (parent, args, context) instead of running each call through its
  // pipes (measured: part of the api's overhead per leaderboard request).
  @ResolveField(() => UserDto)
  async user(employment: EmploymentDto, _args: unknown, context: object): Promise<UserDto> {
    return UserDto.from((await this.users.loadById(context, employment.record.userId))!);
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() employment: EmploymentDto, @Context() context: object): Promise<BrandDto> {
    return BrandDto.from((await this.brands.loadById(context, employment.record.brandId))!);
  }

  @ResolveField(() => Int, { description: '1 = most shares in this brand; ties go to who reached the count first.' })
  rank(employment: EmploymentDto, _args: unknown, context: object): Promise<number> | number {
    return employment.knownRank ?? this.employments.rank(context, employment.record.id);
  }

  @ResolveField(() => LedgerConnection, {
    nullable: true,
    description: 'Newest first; the employee and admins only (null for anyone else).',
  })
  async ledger(
    @Parent() employment: EmploymentDto,
    @Args() args: ConnectionArgs,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<Connection<LedgerEntryDto> | null> {
    const rows = await this.employments.ledger(viewer, employment.record, args.first, args.after);
    if (!rows) return null;
    return connectionFromRows(
      rows,
      args,
      (entry) => [entry.id],
      (entry) => LedgerEntryDto.from(entry),
    );
  }
}

@Resolver(() => LedgerEntryDto)
export class LedgerEntriesResolver {
  constructor(
    private readonly employments: EmploymentsService,
    private readonly photoLoaders: PhotoLoaders,
    private readonly photos: PhotosService,
  ) {}

  @ResolveField(() => PhotoDto, { nullable: true, description: 'The photo that earned the entry, while visible.' })
  async photo(
    @Parent() entry: LedgerEntryDto,
    @Context() context: object,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<PhotoDto | null> {
    if (entry.record.sourceType !== 'photo') return null;
    const photo = await this.photoLoaders.photo(context, entry.record.sourceId);
    return photo && this.photos.canSee(viewer, photo) ? PhotoDto.from(photo) : null;
  }

  @ResolveField(() => LedgerEntryDto, { nullable: true, description: 'The entry a reversal takes back.' })
  async reverses(@Parent() entry: LedgerEntryDto, @Context() context: object): Promise<LedgerEntryDto | null> {
    const reversed = entry.record.reverses ? await this.employments.loadEntry(context, entry.record.reverses) : null;
    return reversed ? LedgerEntryDto.from(reversed) : null;
  }
}

/** A page of a brand's board, each employment with the rank its place gives. */
function boardConnection(
  page: { rows: (EmploymentRecord & { reachedKey: string })[]; firstRank: number },
  args: ConnectionArgs,
): Connection<EmploymentDto> {
  let place = page.firstRank;
  return connectionFromRows(
    page.rows,
    args,
    (row) => [row.shares, row.reachedKey, row.userId],
    (row) => EmploymentDto.from(row, place++),
  );
}

@Resolver(() => BrandDto)
export class BrandEmploymentsResolver {
  constructor(private readonly employments: EmploymentsService) {}

  @ResolveField(() => EmploymentConnection, { description: 'Shares desc; ties go to who reached the count first.' })
  async leaderboard(@Parent() brand: BrandDto, @Args() args: ConnectionArgs): Promise<Connection<EmploymentDto>> {
    return boardConnection(await this.employments.leaderboard(brand.record.id, args.first, args.after), args);
  }

  @ResolveField(() => EmploymentDto, { nullable: true, description: 'Null while the seat is vacant.' })
  async ceo(@Parent() brand: BrandDto, @Context() context: object): Promise<EmploymentDto | null> {
    const ceo = await this.employments.loadCeo(context, brand.record.id);
    return ceo ? EmploymentDto.from(ceo) : null;
  }

  @ResolveField(() => Int, { description: 'Users with an employment in the brand (banned users left out).' })
  employeeCount(@Parent() brand: BrandDto, @Context() context: object): Promise<number> {
    return this.employments.employeeCount(context, brand.record.id);
  }

  @ResolveField(() => EmploymentDto, { nullable: true, description: "The caller's, if any." })
  async myEmployment(
    @Parent() brand: BrandDto,
    @Context() context: object,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<EmploymentDto | null> {
    const mine = viewer ? await this.employments.loadMine(context, viewer, brand.record.id) : null;
    return mine ? EmploymentDto.from(mine) : null;
  }
}

@Resolver(() => UserDto)
export class UserEmploymentsResolver {
  constructor(private readonly employmentsService: EmploymentsService) {}

  @ResolveField(() => EmploymentConnection, { description: 'The brands this user works for, most shares first.' })
  async employments(@Parent() user: UserDto, @Args() args: ConnectionArgs): Promise<Connection<EmploymentDto>> {
    const rows = await this.employmentsService.listByUser(user.record.id, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.shares, row.brandId],
      (row) => EmploymentDto.from(row),
    );
  }
}
