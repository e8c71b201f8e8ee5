import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  NodeRegistry,
  RateLimit,
  connectionFromRows,
  isUuid,
  localIdOf,
  type Connection,
} from '@boardroom/core';
import { Authenticated, CurrentUser, UserDto, UsersService, type Viewer } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { ProposalConnection, ProposalDto, ProposalStatusEnum } from './dto/proposal.dto.js';
import type { ProposalStatus } from './proposal.record.js';
import { ProposalsService } from './proposals.service.js';

@Resolver(() => ProposalDto)
export class ProposalsResolver implements OnModuleInit {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly brands: BrandsService,
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Proposal', ProposalDto, async (id) => {
      const proposal = isUuid(id) ? await this.proposals.find(id) : null;
      return proposal ? ProposalDto.from(proposal) : null;
    });
  }

  @Mutation(() => ProposalDto, {
    description: 'An employee of the brand; title 5–120, body 20–5,000 characters. Rate-limited per user.',
  })
  @Authenticated()
  @RateLimit('proposals')
  async proposeOperation(
    @Args('brandSlug') brandSlug: string,
    @Args('title') title: string,
    @Args('body') body: string,
    @CurrentUser() viewer: Viewer,
  ): Promise<ProposalDto> {
    return ProposalDto.from(await this.proposals.propose(brandSlug, title, body, viewer));
  }

  @Mutation(() => ProposalDto, {
    description: 'An employee of the brand; idempotent. CONFLICT PROPOSAL_ANSWERED once the brand has answered.',
  })
  @Authenticated()
  async voteOnProposal(
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() viewer: Viewer,
  ): Promise<ProposalDto> {
    return ProposalDto.from(await this.proposals.vote(localIdOf('Proposal', id), viewer));
  }

  @Mutation(() => ProposalDto, {
    description: 'The brand’s managers: ACCEPTED, DECLINED or DONE with a 1–2,000 character response.',
  })
  @Authenticated()
  async respondToProposal(
    @Args('id', { type: () => ID }) id: string,
    @Args('status', { type: () => ProposalStatusEnum }) status: ProposalStatus,
    @Args('response') response: string,
    @CurrentUser() viewer: Viewer,
  ): Promise<ProposalDto> {
    return ProposalDto.from(await this.proposals.respond(localIdOf('Proposal', id), status, response, viewer));
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() proposal: ProposalDto, @Context() context: object): Promise<BrandDto> {
    return BrandDto.from((await this.brands.loadById(context, proposal.record.brandId))!);
  }

  @ResolveField(() => UserDto)
  async author(@Parent() proposal: ProposalDto, @Context() context: object): Promise<UserDto> {
    return UserDto.from((await this.users.loadById(context, proposal.record.authorId))!);
  }

  @ResolveField(() => Boolean, { description: 'Whether the caller voted for it.' })
  myVote(
    @Parent() proposal: ProposalDto,
    @CurrentUser() viewer: Viewer | null,
    @Context() context: object,
  ): Promise<boolean> {
    return this.proposals.votedBy(context, viewer, proposal.record.id);
  }
}

@Resolver(() => BrandDto)
export class BrandProposalsResolver {
  constructor(private readonly proposalsService: ProposalsService) {}

  @ResolveField(() => ProposalConnection, { description: 'Most votes first, then newest.' })
  async proposals(@Parent() brand: BrandDto, @Args() args: ConnectionArgs): Promise<Connection<ProposalDto>> {
    const rows = await this.proposalsService.list(brand.record.id, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.votes, row.createdKey, row.id],
      (row) => ProposalDto.from(row),
    );
  }
}
