import { Injectable } from '@nestjs/common';
import type { GraphQLRequestContext } from '../request-context.js';

type NodeLoader = (localId: string, context: GraphQLRequestContext) => Promise<object | null>;

/**
 * Each domain module registers how to load its node types, with the same
 * authorization as the type's own query; `node(id:)` dispatches here.
 */
@Injectable()
export class NodeRegistry {
  private static readonly typeNames = new Map<Function, string>();
  private readonly loaders = new Map<string, NodeLoader>();

  register(typeName: string, dto: Function, loader: NodeLoader): void {
    if (this.loaders.has(typeName)) throw new Error(`Node type ${typeName} is registered twice`);
    this.loaders.set(typeName, loader);
    NodeRegistry.typeNames.set(dto, typeName);
  }

  loaderFor(typeName: string): NodeLoader | undefined {
    return this.loaders.get(typeName);
  }

  /** The GraphQL type of a loaded node: the type its DTO class was registered as. */
  static typeNameOf(value: object): string | undefined {
    return NodeRegistry.typeNames.get(value.constructor);
  }
}
