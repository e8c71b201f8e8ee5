import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** The committed form of the schema: sorted, so that diffs show real changes only. */
export function renderSchema(schema: GraphQLSchema): string {
  return `# Generated from the code-first schema by \`npm run schema\`. Do not edit: change the code.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
