import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs, connectionFromRows, type Connection } from '@boardroom/core';
import { CurrentUser, UserDto, UsersService, type Viewer } from '@boardroom/accounts';
import { WalletDto, WalletEntryConnection, WalletEntryDto } from './wallet.dto.js';
import { WalletService } from './wallet.service.js';

@Resolver(() => UserDto)
export class UserWalletResolver {
  constructor(
    private readonly wallets: WalletService,
    private readonly users: UsersService,
  ) {}

  @ResolveField(() => WalletDto, { nullable: true, description: "The user's own, and admins'; null for anyone else." })
  async wallet(@Parent() user: UserDto, @CurrentUser() viewer: Viewer | null): Promise<WalletDto | null> {
    if (!this.users.canSeePrivate(viewer, user.record)) return null;
    return Object.assign(new WalletDto(), {
      balance: await this.wallets.balance(user.record.id),
      userId: user.record.id,
    });
  }
}

@Resolver(() => WalletDto)
export class WalletEntriesResolver {
  constructor(private readonly wallets: WalletService) {}

  @ResolveField(() => WalletEntryConnection, { description: 'Newest first.' })
  async entries(@Parent() wallet: WalletDto, @Args() args: ConnectionArgs): Promise<Connection<WalletEntryDto>> {
    const rows = await this.wallets.entries(wallet.userId, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (entry) => [entry.id],
      (entry) => WalletEntryDto.from(entry),
    );
  }
}
