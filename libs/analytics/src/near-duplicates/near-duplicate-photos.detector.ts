import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@boardroom/core';
import { hammingDistance } from '@boardroom/media';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { Detector, DetectorContext } from '../detector.js';
import { FlagsRepository, type FlagInput } from '../flags.repository.js';
import { bandsOf, GUARANTEED_DISTANCE, probesOf } from './hash-bands.js';
import { PhotoHashesRepository, type HashedPhoto } from './photo-hashes.repository.js';

export const NEAR_DUPLICATE_PHOTOS = 'NEAR_DUPLICATE_PHOTOS';

interface Edge {
  a: string;
  b: string;
  distance: number;
}

/**
 * The same picture (perceptual hashes within the duplicate distance) published by different accounts:
 * stock or stolen photos, farms re-uploading one shot. Each published photo is indexed by its hash
 * bands; its cluster is the connected component of near-duplicate links through it, found by index
 * lookups (never by comparing all photos). A cluster from one account only (someone re-uploading their
 * own photo) is innocent and flags nothing.
 */
@Injectable()
export class NearDuplicatePhotosDetector implements Detector {
  readonly code = NEAR_DUPLICATE_PHOTOS;
  readonly version = DETECTION_RULES.nearDuplicates.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['nearDuplicates'] = DETECTION_RULES.nearDuplicates;

  constructor(
    private readonly hashes: PhotoHashesRepository,
    private readonly flags: FlagsRepository,
  ) {
    if (this.rules.maxHammingDistance > GUARANTEED_DISTANCE) {
      throw new Error(`The hash bands find duplicates up to distance ${GUARANTEED_DISTANCE} only`);
    }
  }

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    for (const event of events) {
      if (event.action !== 'photo.published' || !event.targetId) continue;
      const photo = await this.hashes.hashedPhoto(context.manager, event.targetId);
      if (!photo) continue;
      await this.hashes.indexBands(context.manager, photo.id, bandsOf(photo.hash));
      await this.evaluateClusterOf(photo, context);
    }
  }

  private async evaluateClusterOf(start: HashedPhoto, context: DetectorContext): Promise<void> {
    const { photos, edges } = await this.componentOf(start, context);
    if (edges.length === 0) return;
    const photosByOwner = new Map<string, string[]>();
    for (const photo of photos.values()) {
      photosByOwner.set(photo.ownerId, [...(photosByOwner.get(photo.ownerId) ?? []), photo.id]);
    }
    const users = photosByOwner.size;
    if (users < this.rules.minDistinctUsers) return;
    const score = Math.min(1, (users - 1) / (this.rules.fullScoreUsers - 1));
    const members = [...photos.keys()].sort();
    const clusterId = await this.flags.mergeCluster(
      context.manager,
      this,
      { kind: 'PHOTOS', members, score, evidence: { photoIds: members, distinctUsers: users, links: edges } },
      context.now,
    );
    const flags: FlagInput[] = [];
    for (const photo of photos.values()) {
      const links = edges.filter((edge) => edge.a === photo.id || edge.b === photo.id);
      flags.push({ subjectType: 'PHOTO', subjectId: photo.id, score, clusterId, evidence: { links } });
    }
    for (const [ownerId, photoIds] of photosByOwner) {
      flags.push({
        subjectType: 'ACCOUNT',
        subjectId: ownerId,
        score,
        clusterId,
        evidence: { photoIds: photoIds.sort(), clusterPhotos: members.length, otherUsers: users - 1 },
      });
    }
    await this.flags.upsertFlags(context.manager, this, flags, context.now);
  }

  /**
   * The photos linked to `start` by chains of near duplicates (bounded), by a breadth-first search
   * over index lookups, with the link through which each photo was reached: a spanning tree, enough
   * evidence that they are one cluster without listing every pair of a dense one.
   */
  private async componentOf(
    start: HashedPhoto,
    context: DetectorContext,
  ): Promise<{ photos: Map<string, HashedPhoto>; edges: Edge[] }> {
    const photos = new Map([[start.id, start]]);
    const edges: Edge[] = [];
    const queue = [start];
    while (queue.length > 0 && photos.size < this.rules.maxClusterPhotos) {
      const photo = queue.shift()!;
      for (const candidate of await this.hashes.candidates(context.manager, probesOf(photo.hash))) {
        if (candidate.id === photo.id) continue;
        const distance = hammingDistance(photo.hash, candidate.hash);
        if (distance > this.rules.maxHammingDistance) continue;
        if (photos.has(candidate.id)) continue;
        photos.set(candidate.id, candidate);
        queue.push(candidate);
        edges.push({ a: photo.id, b: candidate.id, distance });
      }
    }
    return { photos, edges };
  }
}
