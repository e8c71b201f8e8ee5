import { Field, ID, InterfaceType } from '@nestjs/graphql';
import { NodeRegistry } from './node-registry.js';

/** Any object with a global id, resolvable through `node(id:)`. */
@InterfaceType('Node', {
  resolveType: (value: object) => NodeRegistry.typeNameOf(value),
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
