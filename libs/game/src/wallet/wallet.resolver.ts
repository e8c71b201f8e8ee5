import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs, connectionFromRows, type Connection } from '@boardroom/core';
import { CurrentUser, UserDto, type Viewer } from '@boardroom/accounts';
import { canSeeLedgerOf } from '../employments/employments.service.js';
import { WalletDto, WalletEntryConnection, WalletEntryDto } from './wallet.dto.js';
import { WalletService } from './wallet.service.js';

@Resolver(() => UserDto)
export class UserWalletResolver {
  constructor(private readonly wallets: WalletService) {}

  @ResolveField(() => WalletDto, { nullable: true, description: "The user's own, and admins'; null for anyone else." })
  async wallet(@Parent() user: UserDto, @CurrentUser() viewer: Viewer | null): Promise<WalletDto | null> {
    if (!canSeeLedgerOf(viewer, user.record.id)) return null;
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
