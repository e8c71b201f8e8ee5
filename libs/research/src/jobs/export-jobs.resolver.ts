import type { OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { NodeRegistry, localIdOf } from '@boardroom/core';
import { Authenticated, CurrentUser, Role, Roles, type Viewer } from '@boardroom/accounts';
import { ExportJobDto, ResearchExportInputDto } from './export-job.dto.js';
import { ExportJobs } from './export-jobs.service.js';

@Resolver(() => ExportJobDto)
export class ExportJobsResolver implements OnModuleInit {
  constructor(
    private readonly exports: ExportJobs,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('ExportJob', ExportJobDto, async (id, context) => {
      const viewer = (context.user as Viewer | null) ?? null;
      const job = viewer ? await this.exports.find(viewer, id) : null;
      return job ? ExportJobDto.from(job) : null;
    });
  }

  @Mutation(() => ExportJobDto, {
    description:
      'RESEARCHER. Queues a pseudonymized export of the window (a zip of Parquet, CSV or JSON Lines files with a Data Package descriptor); follow it with exportJob.',
  })
  @Roles(Role.RESEARCHER, Role.ADMIN)
  async requestResearchExport(
    @Args('input') input: ResearchExportInputDto,
    @CurrentUser() viewer: Viewer,
  ): Promise<ExportJobDto> {
    return ExportJobDto.from(await this.exports.requestResearch(viewer, input));
  }

  @Mutation(() => ExportJobDto, {
    description:
      'Your own data (profile, photos with their originals and renditions, comments, ledgers, awards, invites, notifications) as a zip; follow it with exportJob.',
  })
  @Authenticated()
  async requestMyData(@CurrentUser() viewer: Viewer): Promise<ExportJobDto> {
    return ExportJobDto.from(await this.exports.requestMyData(viewer));
  }

  @Query(() => ExportJobDto, {
    nullable: true,
    description: 'An export you asked for (administrators: any); null otherwise.',
  })
  @Authenticated()
  async exportJob(
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() viewer: Viewer,
  ): Promise<ExportJobDto | null> {
    const job = await this.exports.find(viewer, localIdOf('ExportJob', id, 'id'));
    return job ? ExportJobDto.from(job) : null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'When DONE: a URL of the zip archive, valid for 15 minutes (ask again for a fresh one). Null once EXPIRED.',
  })
  downloadUrl(@Parent() job: ExportJobDto): Promise<string | null> {
    return this.exports.downloadUrl(job.record);
  }
}
