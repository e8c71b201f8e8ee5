import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import jwt from 'jsonwebtoken';
import { AccountsService, InvitesService, Role, type ClientInfo, type Viewer } from '@boardroom/accounts';
import { BrandsService, CampaignsService } from '@boardroom/brands';
import { DomainError, JobRunner, JobScheduler, SIMULATION_CLOCK } from '@boardroom/core';
import { CommentsService, FollowsService, PhotoUploadService } from '@boardroom/photos';
import { asFileUpload, renderPhoto } from './photo-files.js';
import type { SimulationClock } from './simulation-clock.js';
import type { PlannedAccount, PlannedAction, WorldPlan } from './world-plan.js';

const HOUR = 3_600_000;

/** Every simulated account's password, so that a person can log in as any of them. */
export const SIMULATED_PASSWORD = 'simulated-world-password';

/** What the world became in the product's tables: ids by planned key, and what the services refused. */
export interface WrittenWorld {
  userIds: string[];
  brandSlugs: string[];
  /** null where the upload was refused. */
  photoIds: (string | null)[];
  /** Action kind → the product's error code → how many times the services refused it. */
  refused: Record<string, Record<string, number>>;
  actions: number;
  seconds: number;
}

interface WrittenAccount {
  viewer: Viewer;
  handle: string;
  client: ClientInfo;
}

/**
 * Writes a planned world through the product's own services, action after action at its simulated
 * time: sign-ups (with invites), brands, declared campaigns, uploads (processed by their job
 * in-process, so each photo is PUBLISHED at its time), comments and follows. At every simulated hour the scheduler ticks and the
 * jobs and events consumers run, as the worker would. Refusals by the product's rules (a DomainError)
 * are counted, as a real user would meet them; anything else stops the simulation.
 */
@Injectable()
export class WorldWriter {
  constructor(
    private readonly accounts: AccountsService,
    private readonly invites: InvitesService,
    private readonly brands: BrandsService,
    private readonly campaigns: CampaignsService,
    private readonly uploads: PhotoUploadService,
    private readonly comments: CommentsService,
    private readonly follows: FollowsService,
    private readonly runner: JobRunner,
    private readonly scheduler: JobScheduler,
    @Inject(SIMULATION_CLOCK) private readonly clock: SimulationClock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async write(plan: WorldPlan, step: () => void): Promise<WrittenWorld> {
    await this.assertEmpty();
    const started = process.hrtime.bigint();
    const written = new Map<number, WrittenAccount>();
    const world: WrittenWorld = {
      userIds: [],
      brandSlugs: [],
      photoIds: plan.photos.map(() => null),
      refused: {},
      actions: 0,
      seconds: 0,
    };
    const account = (key: number) => {
      const found = written.get(key);
      if (!found) throw new Error(`Simulated account ${key} acts before it signed up`);
      return found;
    };
    let hour = Math.floor(plan.start.getTime() / HOUR);
    for (const action of plan.actions) {
      hour = await this.runHoursUntil(hour, action.at);
      this.clock.set(action.at);
      try {
        await this.perform(plan, action, world, written, account);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const byCode = (world.refused[action.kind] ??= {});
        byCode[error.code] = (byCode[error.code] ?? 0) + 1;
      }
      world.actions++;
      step();
    }
    await this.runHoursUntil(hour, plan.parameters.end);
    this.clock.set(plan.parameters.end);
    await this.runner.drainConsumers();
    world.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return world;
  }

  /** A world is written into an empty database: its handles would collide with another world's. */
  private async assertEmpty(): Promise<void> {
    const [{ users }] = await this.dataSource.query<[{ users: number }]>(`SELECT count(*)::int AS users FROM users`);
    if (users > 0) {
      throw new Error(
        `The database already has ${users} user(s): a simulated world is written into an empty one. ` +
          'Use a new DATA_DIR (or database), or drop this one first.',
      );
    }
  }

  /** Ticks the scheduler and runs the jobs and consumers at each hour boundary up to `at`. */
  private async runHoursUntil(hour: number, at: Date): Promise<number> {
    const target = Math.floor(at.getTime() / HOUR);
    for (let next = hour + 1; next <= target; next++) {
      this.clock.set(new Date(next * HOUR));
      await this.scheduler.tick();
      await this.runner.drain();
      await this.runner.drainConsumers();
    }
    return Math.max(hour, target);
  }

  private async perform(
    plan: WorldPlan,
    action: PlannedAction,
    world: WrittenWorld,
    written: Map<number, WrittenAccount>,
    account: (key: number) => WrittenAccount,
  ): Promise<void> {
    switch (action.kind) {
      case 'signUp': {
        const planned = plan.accounts[action.account]!;
        written.set(
          planned.key,
          await this.signUp(planned, planned.invitedBy === null ? null : account(planned.invitedBy)),
        );
        world.userIds[planned.key] = written.get(planned.key)!.viewer.id;
        return;
      }
      case 'createBrand': {
        const { viewer, client } = account(action.account);
        const planned = plan.brands[action.brand]!;
        const input = { name: planned.name, website: planned.website, description: `${planned.name}, simulated.` };
        const fingerprints = { networkFingerprint: client.ip, deviceFingerprint: client.deviceId };
        const brand = await this.brands.create(input, viewer, fingerprints).catch((error: unknown) => {
          // A made-up name may resemble another: its creator confirms that it is a different brand.
          if (error instanceof DomainError && error.details.reason === 'DUPLICATE_BRAND')
            return this.brands.create({ ...input, confirmDistinct: true }, viewer, fingerprints);
          throw error;
        });
        world.brandSlugs[planned.key] = brand.slug;
        return;
      }
      case 'declareCampaign': {
        const { viewer, client } = account(action.account);
        const planned = plan.campaigns[action.campaign]!;
        // No claim flow runs in a simulated world, so the creator is no manager: he declares with an
        // operator's rights, in memory only (nothing is granted in the tables).
        await this.campaigns.declare(
          {
            brandSlug: world.brandSlugs[action.brand]!,
            name: `${plan.brands[action.brand]!.name} evening`,
            startsAt: planned.start,
            endsAt: planned.end,
          },
          { ...viewer, roles: [...viewer.roles, Role.ADMIN] },
          { networkFingerprint: client.ip, deviceFingerprint: client.deviceId },
        );
        return;
      }
      case 'upload': {
        const { viewer, client } = account(action.account);
        const planned = plan.photos[action.photo]!;
        const bytes = await renderPhoto(planned.scene, planned.variant);
        const photo = await this.uploads.upload(
          viewer,
          {
            brandSlug: world.brandSlugs[planned.brand]!,
            file: asFileUpload(bytes, `photo-${planned.key}.jpg`),
            idempotencyKey: `simulation-${plan.parameters.seed}-photo-${planned.key}`,
          },
          client,
        );
        // Its processing job, now: the photo is PUBLISHED at its simulated time.
        await this.runner.drain();
        world.photoIds[planned.key] = photo.id;
        return;
      }
      case 'comment': {
        const photoId = world.photoIds[action.photo];
        if (!photoId) return;
        const { viewer, client } = account(action.account);
        await this.comments.post(viewer, photoId, action.body, client);
        return;
      }
      case 'follow': {
        const { viewer, client } = account(action.account);
        await this.follows.follow(viewer, account(action.followee).handle, client);
        return;
      }
    }
  }

  private async signUp(planned: PlannedAccount, inviter: WrittenAccount | null): Promise<WrittenAccount> {
    const client = { ip: planned.client.network, deviceId: planned.client.device };
    // The inviter makes the invite on his own device, at the moment the friend signs up with it.
    const invite = inviter ? await this.invites.create(inviter.viewer, inviter.client) : null;
    const { user, accessToken } = await this.accounts.signUp(
      {
        email: `${planned.handle}@simulated.example`,
        password: SIMULATED_PASSWORD,
        displayName: planned.displayName,
        handle: planned.handle,
        inviteCode: invite?.code ?? null,
      },
      client,
    );
    // The session the sign-up started, as the auth guard would read it from the access token.
    const { sid } = jwt.decode(accessToken) as { sid: string };
    return { viewer: { id: user.id, roles: user.roles, sessionId: sid }, handle: user.handle, client };
  }
}
