import { Module, type OnModuleInit } from '@nestjs/common';
import {
  Args,
  Field,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  ResolveField,
  Resolver,
  Subscription,
  Parent,
} from '@nestjs/graphql';
import {
  ConnectionArgs,
  ConnectionType,
  DomainError,
  DOMAIN_ERROR_CODES,
  Node,
  NodeRegistry,
  PubSubService,
  RateLimit,
  connectionFromRows,
  decodeCursor,
  toGlobalId,
  type Connection,
  type ErrorCode,
} from '@boardroom/core';

/**
 * A test-only corner of the schema: a recursive type to exercise the query
 * limits, a connection, node(id:), errors of every code, and a subscription.
 * The rest of the app is real.
 */
@ObjectType('Probe', { implements: () => [Node] })
export class ProbeDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => Int) index!: number;
  @Field() createdAt!: Date;
}

const ProbeConnection = ConnectionType(ProbeDto, 'Probe');
const probe = (index: number) =>
  Object.assign(new ProbeDto(), {
    id: toGlobalId('Probe', String(index)),
    index,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
  });
const PROBE_COUNT = 250;

@Resolver(() => ProbeDto)
export class ProbeResolver implements OnModuleInit {
  constructor(
    private readonly nodes: NodeRegistry,
    private readonly pubsub: PubSubService,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Probe', ProbeDto, async (localId) => {
      const index = Number(localId);
      return Number.isInteger(index) && index >= 0 && index < PROBE_COUNT ? probe(index) : null;
    });
  }

  @Query(() => ProbeDto)
  probe(): ProbeDto {
    return probe(0);
  }

  @Query(() => ProbeConnection)
  probes(@Args() args: ConnectionArgs): Connection<ProbeDto> {
    const start = args.after ? Number(decodeCursor(args.after, 1)[0]) + 1 : 0;
    const rows = Array.from(
      { length: Math.max(0, Math.min(args.first + 1, PROBE_COUNT - start)) },
      (_, i) => start + i,
    );
    return connectionFromRows(rows, args, (index) => [index], probe);
  }

  @ResolveField(() => ProbeDto)
  next(@Parent() parent: ProbeDto): ProbeDto {
    return probe((parent.index + 1) % PROBE_COUNT);
  }

  @ResolveField(() => ProbeConnection)
  children(@Args() args: ConnectionArgs): Connection<ProbeDto> {
    return this.probes(args);
  }

  @Query(() => Boolean, { description: 'Throws a DomainError of the code, or an unexpected error for UNEXPECTED.' })
  probeError(@Args('code') code: string): boolean {
    if ((DOMAIN_ERROR_CODES as readonly string[]).includes(code)) {
      throw new DomainError(
        code as ErrorCode,
        `probe ${code}`,
        code === 'CONFLICT'
          ? { reason: 'SOLD_OUT' }
          : code === 'RATE_LIMITED'
            ? { retryAfterSeconds: 7 }
            : code === 'BAD_USER_INPUT'
              ? { fields: [{ field: 'x', message: 'bad' }] }
              : {},
      );
    }
    throw new Error(`secret internal detail: connection to 10.0.0.1 refused`);
  }

  @Query(() => Boolean, { description: 'Counted against the "graphql" limit once more, per user or address.' })
  @RateLimit('graphql')
  probeLimited(): boolean {
    return true;
  }

  @Query(() => Int, { description: 'Answers after the given number of milliseconds (at most 5000).' })
  async probeSlow(@Args('ms', { type: () => Int }) ms: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5000)));
    return ms;
  }

  @Mutation(() => Boolean)
  async probePublish(@Args('message') message: string): Promise<boolean> {
    await this.pubsub.publish('probe', { probeMessages: message });
    return true;
  }

  @Subscription(() => String)
  probeMessages(): AsyncIterableIterator<unknown> {
    return this.pubsub.subscribe('probe');
  }
}

@Module({ providers: [ProbeResolver] })
export class ProbeModule {}
