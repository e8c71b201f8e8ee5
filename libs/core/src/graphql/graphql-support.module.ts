import { Global, Module } from '@nestjs/common';
import { PubSubService } from './pubsub.js';
import { NodeRegistry } from './relay/node-registry.js';

/**
 * What domain libs use of the API layer in every process: the node registry
 * their resolvers fill, and pub/sub for subscription events (a worker publishes
 * too). The GraphQL server itself is ApiGraphQLModule, in the api only.
 */
@Global()
@Module({ providers: [NodeRegistry, PubSubService], exports: [NodeRegistry, PubSubService] })
export class GraphQLSupportModule {}
