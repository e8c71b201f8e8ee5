import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, EventLog, inTransaction, requestLoader } from '@boardroom/core';
import { Role } from '../roles.js';
import type { UserRecord, Viewer } from './user.record.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { UsersRepository } from './users.repository.js';

/** Reading users, with the rule of who sees what. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly events: EventLog,
    private readonly sessions: SessionsRepository,
  ) {}

  /** `manager`: the caller's transaction, when it has one open. */
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserRecord | null> {
    return this.users.findById(manager, id);
  }

  /** Users by id, in the order of `ids` (missing ones left out), in one query. */
  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    const found = new Map((await this.users.findByIds(this.dataSource.manager, ids)).map((user) => [user.id, user]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** One user through the request's loader: the users a response names are read in one query. */
  loadById(context: object, id: string): Promise<UserRecord | null> {
    return requestLoader(
      context,
      'users',
      (ids) => this.findByIds(ids),
      (user) => user.id,
    ).load(id);
  }

  findByHandle(handle: string): Promise<UserRecord | null> {
    return this.users.findByHandle(this.dataSource.manager, handle);
  }

  /** A user's own email, roles, wallet, ledger and notifications: for the user and admins only. */
  canSeePrivate(viewer: Viewer | null, user: Pick<UserRecord, 'id'>): boolean {
    return viewer !== null && (viewer.id === user.id || viewer.roles.includes(Role.ADMIN));
  }

  /** Adds a role inside the caller's transaction (a brand claim's approval gives BRAND_MANAGER). */
  async addRole(manager: EntityManager, userId: string, role: Role): Promise<void> {
    await this.users.addRole(manager, userId, role);
  }

  /**
   * Bans a user inside the caller's transaction: sign-in and refresh refuse them from now on, and every
   * session ends at once (each request looks its session and the ban up, so a live access token stops
   * working too). Returns the user, or null when they were banned already.
   */
  async ban(manager: EntityManager, userId: string, at: Date): Promise<UserRecord | null> {
    const banned = await this.users.markBanned(manager, userId, at);
    if (banned) await this.sessions.revokeAllSessions(manager, userId, 'banned');
    return banned;
  }

  /** Whether `password` is the user's: the check before an irreversible act of their own (argon2id, like sign-in). */
  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const user = await this.users.findById(this.dataSource.manager, userId);
    return (
      user !== null && (await this.users.findByCredentials(this.dataSource.manager, user.email, password)) !== null
    );
  }

  /**
   * Erases the user's identity in the caller's transaction (see UsersRepository.tombstone) and ends every
   * session. Returns the tombstoned user, or null when erased already.
   */
  async tombstone(manager: EntityManager, userId: string, at: Date): Promise<UserRecord | null> {
    const erased = await this.users.tombstone(manager, userId, at);
    if (erased) await this.sessions.revokeAllSessions(manager, userId, 'banned');
    return erased;
  }

  /** An operator's grant (the CLI), recorded in the events log. */
  async grantRole(email: string, role: Role): Promise<UserRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const found = await this.users.findByEmail(manager, email);
      if (!found) throw DomainError.notFound(`An account with the email ${email}`);
      const user = (await this.users.addRole(manager, found.id, role))!;
      await this.events.record(manager, {
        action: 'account.role_granted',
        targetType: 'user',
        targetId: user.id,
        meta: { role, by: 'operator' },
      });
      return user;
    });
  }
}
