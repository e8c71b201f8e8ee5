import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, UserDto, UsersService, isStaff, type Viewer } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { AuthenticityReportDto, ReportWindowEnum, SuspiciousClusterDto } from './dto/authenticity-report.dto.js';
import { ReportService } from './report.service.js';
import type { ReportWindow } from './report.types.js';

@Resolver(() => AuthenticityReportDto)
export class AuthenticityReportResolver {
  constructor(
    private readonly reports: ReportService,
    private readonly brands: BrandsService,
  ) {}

  @Query(() => AuthenticityReportDto, {
    nullable: true,
    description:
      'The brand’s managers and administrators. Null until first computed: asking schedules the computation.',
  })
  @Authenticated()
  async authenticityReport(
    @Args('brandSlug') brandSlug: string,
    @Args('window', { type: () => ReportWindowEnum, nullable: true, defaultValue: 'LAST_30_DAYS' })
    window: ReportWindow | null,
    @CurrentUser() viewer: Viewer,
  ): Promise<AuthenticityReportDto | null> {
    // An explicit null asks for the default too.
    const report = await this.reports.report(viewer, brandSlug, window ?? 'LAST_30_DAYS');
    return report ? AuthenticityReportDto.from(report) : null;
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() report: AuthenticityReportDto, @Context() context: object): Promise<BrandDto> {
    return BrandDto.from((await this.brands.loadById(context, report.record.brandId))!);
  }
}

@Resolver(() => SuspiciousClusterDto)
export class SuspiciousClusterResolver {
  constructor(private readonly accounts: UsersService) {}

  /** Banned accounts stay hidden from all but staff, here as everywhere. */
  @ResolveField(() => [UserDto])
  async users(
    @Parent() cluster: SuspiciousClusterDto,
    @Context() context: object,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<UserDto[]> {
    const users = await Promise.all(cluster.record.userIds.map((id) => this.accounts.loadById(context, id)));
    return users.flatMap((user) => (user && (!user.bannedAt || isStaff(viewer)) ? [UserDto.from(user)] : []));
  }
}
