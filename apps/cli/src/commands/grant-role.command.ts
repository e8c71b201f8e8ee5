import { Option, type Command } from 'commander';
import { GRANTABLE_ROLES, UsersService, type Role } from '@boardroom/accounts';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';

export function registerGrantRoleCommand(program: Command): void {
  program
    .command('grant-role')
    .description(
      'Give an account a role (MODERATOR, RESEARCHER or ADMIN). Works while the api runs; takes effect on the user’s next request. ' +
        'Brand managers come from approved brand claims instead.',
    )
    .requiredOption('--email <email>', 'the account’s email address')
    .addOption(new Option('--role <role>', 'the role to grant').choices([...GRANTABLE_ROLES]).makeOptionMandatory())
    .action((options: { email: string; role: Role }) =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const user = await context.get(UsersService).grantRole(options.email, options.role);
          console.log(`@${user.handle} (${user.email}) now has the roles: ${user.roles.join(', ')}`);
        }),
      ),
    );
}
