import type { Command } from 'commander';
import { NestFactory } from '@nestjs/core';
import { renderSchema } from '@boardroom/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AppModule } from '../../../api/src/app.module.js';
import { withDatabase } from '../cli-database.js';

export function registerPrintSchemaCommand(program: Command): void {
  program
    .command('print-schema')
    .description('Print the GraphQL schema the api serves (npm run schema writes it to schema.graphql).')
    .action(() =>
      withDatabase(async (database, config) => {
        const app = await NestFactory.create(AppModule.forRoot(config, database.url), { logger: ['error', 'warn'] });
        try {
          await app.init();
          process.stdout.write(renderSchema(app.get(GraphQLSchemaHost).schema));
        } finally {
          await app.close();
        }
      }),
    );
}
