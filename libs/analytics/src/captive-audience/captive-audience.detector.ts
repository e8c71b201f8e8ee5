import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@boardroom/core';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { Detector, DetectorContext } from '../detector.js';
import { FlagsRepository } from '../flags.repository.js';
import { AudienceRepository, type Audience } from './audience.repository.js';

export const CAPTIVE_AUDIENCE = 'CAPTIVE_AUDIENCE';

/** The devotees of an audience (accounts on most of the owner's photos) when they make it captive, else null. */
export function captiveDevotees(audience: Audience, rules: DetectionRules['captiveAudience']): string[] | null {
  if (audience.photos < rules.minOwnerPhotos || audience.commenters.length === 0) return null;
  const needed = Math.max(rules.minDevoteePhotos, Math.ceil(audience.photos * rules.devoteePhotoShare));
  const devotees = audience.commenters.filter((c) => c.photos >= needed).map((c) => c.userId);
  if (devotees.length < rules.minDevotees) return null;
  return devotees.length / audience.commenters.length >= rules.minDevoteeShare ? devotees : null;
}

/**
 * Engagement bought slowly (a farm spread over days, which lockstep windows miss): an account whose
 * audience is mostly the same handful of accounts, each on most of its photos. Organic audiences are
 * wide (many accounts, each on a few photos, the more so the more photos); a farm hired for one
 * beneficiary comes back to every photo. The owner and the devotees are flagged, as one cluster, with
 * the owner's other commenters who share a device or a small network with a devotee (associates).
 * Read over the product's photos and comments, for the owners of the batch's comments and photos.
 */
@Injectable()
export class CaptiveAudienceDetector implements Detector {
  readonly code = CAPTIVE_AUDIENCE;
  readonly version = DETECTION_RULES.captiveAudience.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['captiveAudience'] = DETECTION_RULES.captiveAudience;

  constructor(
    private readonly audiences: AudienceRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    const owners = new Set<string>();
    for (const event of events) {
      if (event.action === 'comment.posted' && typeof event.meta.photoOwnerId === 'string')
        owners.add(event.meta.photoOwnerId);
      if (event.action === 'photo.published' && event.actorId) owners.add(event.actorId);
    }
    for (const owner of owners) {
      const audience = await this.audiences.audienceOf(context.manager, owner);
      const devotees = captiveDevotees(audience, this.rules);
      if (!devotees) continue;
      const score = Math.min(1, devotees.length / this.rules.fullScoreDevotees);
      // Members of the same farm who came back less often still share its devices or small networks.
      const others = audience.commenters.map((c) => c.userId).filter((id) => id !== owner && !devotees.includes(id));
      const associates = await this.audiences.sharingFingerprintWith(
        context.manager,
        others,
        devotees,
        this.rules.maxAssociateNetworkAccounts,
      );
      const evidence = {
        owner,
        ownerPhotos: audience.photos,
        commenters: audience.commenters.length,
        devotees: devotees.length,
        associates: associates.length,
      };
      const members = [owner, ...devotees, ...associates].sort();
      const clusterId = await this.flags.mergeCluster(
        context.manager,
        this,
        { kind: 'CAPTIVE_AUDIENCE', members, score, evidence },
        context.now,
      );
      const roleOf = (member: string) =>
        member === owner ? 'beneficiary' : associates.includes(member) ? 'associate' : 'devotee';
      await this.flags.upsertFlags(
        context.manager,
        this,
        members.map((member) => ({
          subjectType: 'ACCOUNT',
          subjectId: member,
          score,
          clusterId,
          evidence: { ...evidence, role: roleOf(member) },
        })),
        context.now,
      );
    }
  }
}
