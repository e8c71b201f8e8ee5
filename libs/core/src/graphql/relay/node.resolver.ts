import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLRequestContext } from '../request-context.js';
import { fromGlobalId } from './global-id.js';
import { Node } from './node.interface.js';
import { NodeRegistry } from './node-registry.js';

@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its global id, or null when it does not exist or is hidden from the caller.',
  })
  async node(
    @Args('id', { type: () => ID }) id: string,
    @Context() context: GraphQLRequestContext,
  ): Promise<object | null> {
    const { typeName, localId } = fromGlobalId(id);
    const loader = this.registry.loaderFor(typeName);
    return loader ? loader(localId, context) : null;
  }
}
