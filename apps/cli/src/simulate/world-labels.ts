import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeFraudMix, FRAUD_KINDS, type FraudKind } from './fraud-mix.js';
import { FAST_HASHER_WARNING } from './fast-insecure-password-hasher.js';
import type { WorldPlan } from './world-plan.js';
import { SIMULATED_PASSWORD, type WrittenWorld } from './world-writer.js';

/**
 * The ground truth of a simulated world, for the detectors' evaluation: written beside the world,
 * never into the product's tables. The campaign windows, which the simulation also declares through the
 * product (CampaignsService), are here too, as the truth the bursts detector's explanations are judged by.
 */
export interface WorldLabels {
  parameters: {
    users: number;
    brands: number;
    days: number;
    fraud: string;
    seed: number;
    start: string;
    end: string;
  };
  accounts: {
    userId: string;
    handle: string;
    group: 'organic' | FraudKind;
    groupId: string | null;
    /** Organic accounts' participation tier. */
    tier: string | null;
  }[];
  fraudGroups: { groupId: string; kind: FraudKind; userIds: string[] }[];
  photos: {
    photoId: string;
    ownerId: string;
    /** The stock-photo group this upload is a copy for, or null. */
    stockGroup: string | null;
    /** How the file was made from its scene: original, reencode, resize or crop. */
    variant: string;
    /** The first published photo of the same scene when this is a copy (innocent or stock), else null. */
    copyOf: string | null;
  }[];
  /** Declared campaign windows: the bursts inside them are genuine. */
  campaigns: { brandSlug: string; start: string; end: string }[];
}

export function worldLabels(plan: WorldPlan, world: WrittenWorld): WorldLabels {
  const { parameters } = plan;
  const firstOfScene = new Map<number, string>();
  const photos: WorldLabels['photos'] = [];
  for (const photo of plan.photos) {
    const photoId = world.photoIds[photo.key];
    if (!photoId) continue;
    photos.push({
      photoId,
      ownerId: world.userIds[photo.owner]!,
      stockGroup: photo.stockGroup,
      variant: photo.variant.kind,
      copyOf: firstOfScene.get(photo.scene) ?? null,
    });
    if (!firstOfScene.has(photo.scene)) firstOfScene.set(photo.scene, photoId);
  }
  return {
    parameters: {
      users: parameters.users,
      brands: parameters.brands,
      days: parameters.days,
      fraud: describeFraudMix(parameters.fraud),
      seed: parameters.seed,
      start: plan.start.toISOString(),
      end: parameters.end.toISOString(),
    },
    accounts: plan.accounts.map((account) => ({
      userId: world.userIds[account.key]!,
      handle: account.handle,
      group: account.group.kind,
      groupId: account.group.kind === 'organic' ? null : account.group.groupId,
      tier: account.group.kind === 'organic' ? account.group.tier : null,
    })),
    fraudGroups: plan.fraudGroups.map((group) => ({
      groupId: group.groupId,
      kind: group.kind,
      userIds: group.members.map((key) => world.userIds[key]!),
    })),
    photos,
    campaigns: plan.campaigns.map((campaign) => ({
      brandSlug: world.brandSlugs[campaign.brand]!,
      start: campaign.start.toISOString(),
      end: campaign.end.toISOString(),
    })),
  };
}

/** The counts a person reads first: what the world holds and how fast it was written. */
export function worldSummary(plan: WorldPlan, world: WrittenWorld) {
  const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
  const fraudAccounts = Object.fromEntries(
    FRAUD_KINDS.map((kind) => [kind, plan.accounts.filter((a) => a.group.kind === kind).length]),
  );
  return {
    warning: FAST_HASHER_WARNING,
    password: SIMULATED_PASSWORD,
    start: plan.start.toISOString(),
    end: plan.parameters.end.toISOString(),
    accounts: { organic: plan.accounts.filter((a) => a.group.kind === 'organic').length, ...fraudAccounts },
    brands: plan.brands.length,
    planned: { uploads: count('upload'), comments: count('comment'), follows: count('follow') },
    photosUploaded: world.photoIds.filter((id) => id !== null).length,
    refused: world.refused,
    actions: world.actions,
    seconds: Math.round(world.seconds * 10) / 10,
    actionsPerSecond: Math.round((world.actions / Math.max(world.seconds, 0.001)) * 10) / 10,
  };
}

/** Writes labels.json and world.json into `dir`; returns their paths. */
export async function writeWorldFiles(dir: string, plan: WorldPlan, world: WrittenWorld) {
  await mkdir(dir, { recursive: true });
  const labels = path.join(dir, 'labels.json');
  const summary = path.join(dir, 'world.json');
  await writeFile(labels, `${JSON.stringify(worldLabels(plan, world), null, 2)}\n`);
  await writeFile(summary, `${JSON.stringify(worldSummary(plan, world), null, 2)}\n`);
  return { labels, summary };
}
