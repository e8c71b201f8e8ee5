import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, Max, Min } from 'class-validator';
import { encodeCursor, type CursorKey } from './cursor.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items, 1 to ${MAX_PAGE_SIZE}.`,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** The Relay connection type of a node type: `<Name>Connection` with `<Name>Edge`. */
export function ConnectionType<T>(nodeType: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

/**
 * Builds a page from rows fetched with `LIMIT first + 1` after the cursor:
 * the extra row only tells whether there is a next page.
 */
export function connectionFromRows<Row, T>(
  rows: Row[],
  args: Pick<ConnectionArgs, 'first' | 'after'>,
  cursorKeyOf: (row: Row) => CursorKey,
  toNode: (row: Row) => T,
): Connection<T> {
  const page = rows.slice(0, args.first);
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorKeyOf(row)), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Query cost of a connection field: its children, once per requested item. */
export function connectionComplexity(options: { args: { first?: number | null }; childComplexity: number }): number {
  return (options.args.first ?? DEFAULT_PAGE_SIZE) * Math.max(1, options.childComplexity);
}
