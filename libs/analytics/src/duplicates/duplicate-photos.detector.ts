import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '@boardroom/core';
import { hammingDistance } from '@boardroom/media';
import type { Detector, DetectorBatch } from '../detector.js';
import { DETECTION_RULES } from '../detection-rules.js';
import { FlagsRepository } from '../flags/flags.repository.js';
import { bandProbes } from './hash-bands.js';
import { PhotoHashBandsRepository, type BandedPhoto } from './photo-hash-bands.repository.js';

const RULES = DETECTION_RULES.duplicatePhotos;

/**
 * Near-duplicate photos across accounts: published photos whose perceptual hashes are within the
 * game's duplicate distance are joined into groups (union-find over the band index, so each photo is
 * compared with its few band-sharing candidates, never with every photo); a group whose photos come
 * from two or more accounts is a cluster, and its photos and accounts are flagged with a score of
 * 1 − 1/accounts. One account re-uploading its own picture makes a group of one account: no flag.
 */
@Injectable()
export class DuplicatePhotosDetector implements Detector {
  readonly code = 'DUPLICATE_PHOTOS';
  readonly version = RULES.version;
  readonly actions = ['photo.published'] as const;

  constructor(
    private readonly bands: PhotoHashBandsRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: StoredEvent[], { manager, now }: DetectorBatch): Promise<void> {
    // Each group is judged once per batch, after all its new photos joined it.
    const touched = new Set<string>();
    for (const event of events) {
      if (!event.targetId) continue;
      const photo = await this.bands.add(manager, event.targetId);
      if (!photo) continue;
      const neighbours = await this.bands.neighbours(
        manager,
        photo.photoId,
        photo.hash,
        bandProbes(photo.hash),
        RULES.maxHammingDistance,
      );
      const groups = [...new Set([photo.groupId, ...neighbours.map((n) => n.groupId)])].sort();
      const [root, ...merged] = groups as [string, ...string[]];
      await this.bands.mergeGroups(manager, root, merged);
      await this.flags.deleteClusters(manager, this.code, merged);
      for (const group of merged) touched.delete(group);
      touched.add(root);
    }
    for (const group of touched) await this.judge(manager, group, now);
  }

  reset(manager: EntityManager): Promise<void> {
    return this.bands.clear(manager);
  }

  private async judge(manager: EntityManager, groupId: string, now: Date): Promise<void> {
    const members = await this.bands.groupMembers(manager, groupId);
    const owners = new Set(members.map((m) => m.ownerId));
    if (owners.size < RULES.minDistinctUsers) return;
    const score = 1 - 1 / owners.size;
    const detector = { code: this.code, version: this.version };
    const clusterId = await this.flags.upsertCluster(
      manager,
      detector,
      {
        kind: 'DUPLICATE_PHOTOS',
        key: groupId,
        members: [...owners].map((id) => ({ type: 'ACCOUNT' as const, id })),
        score,
        evidence: {
          photos: members.map((m) => ({ photoId: m.photoId, userId: m.ownerId })),
          distinctUsers: owners.size,
        },
      },
      now,
    );
    for (const photo of members) {
      await this.flags.upsertFlag(
        manager,
        detector,
        {
          subjectType: 'PHOTO',
          subjectId: photo.photoId,
          score,
          clusterId,
          evidence: { distinctUsers: owners.size, photos: members.length, nearest: nearestOthers(photo, members) },
        },
        now,
      );
    }
    for (const owner of owners) {
      await this.flags.upsertFlag(
        manager,
        detector,
        {
          subjectType: 'ACCOUNT',
          subjectId: owner,
          score,
          clusterId,
          evidence: {
            distinctUsers: owners.size,
            photoIds: members.filter((m) => m.ownerId === owner).map((m) => m.photoId),
          },
        },
        now,
      );
    }
  }
}

/** The group's photos of other accounts nearest to `photo`, with their distances: why it is flagged. */
function nearestOthers(photo: BandedPhoto, members: BandedPhoto[]): { photoId: string; distance: number }[] {
  return members
    .filter((m) => m.ownerId !== photo.ownerId)
    .map((m) => ({ photoId: m.photoId, distance: hammingDistance(photo.hash, m.hash) }))
    .sort((a, b) => a.distance - b.distance || a.photoId.localeCompare(b.photoId))
    .slice(0, RULES.evidenceNeighbours);
}
