import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@boardroom/core';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { Detector, DetectorContext } from '../detector.js';
import { FlagsRepository } from '../flags.repository.js';
import { FingerprintsRepository, type FingerprintKind } from './fingerprints.repository.js';

export const SHARED_FINGERPRINTS = 'SHARED_FINGERPRINTS';

/**
 * Accounts behind one device (several accounts of one person, an invite ring from one phone), or many
 * accounts on one network at once (a farm behind one address; a household or a café stays under the
 * threshold). Reads the keyed fingerprint hashes the events log keeps, never raw fingerprints.
 */
@Injectable()
export class SharedFingerprintsDetector implements Detector {
  readonly code = SHARED_FINGERPRINTS;
  readonly version = DETECTION_RULES.sharedFingerprints.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['sharedFingerprints'] = DETECTION_RULES.sharedFingerprints;

  constructor(
    private readonly fingerprints: FingerprintsRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    // Each fingerprint is judged once per batch, after all of the batch's sightings.
    const touched = new Map<string, { kind: FingerprintKind; fingerprint: string; at: Date }>();
    for (const event of events) {
      if (!event.actorId) continue;
      const seen: [FingerprintKind, string | null][] = [
        ['device', event.deviceFingerprintHash],
        ['network', event.networkFingerprintHash],
      ];
      for (const [kind, fingerprint] of seen) {
        if (!fingerprint) continue;
        await this.fingerprints.sighted(context.manager, {
          kind,
          fingerprint,
          userId: event.actorId,
          at: event.occurredAt,
        });
        touched.set(`${kind}:${fingerprint}`, { kind, fingerprint, at: event.occurredAt });
      }
    }
    for (const { kind, fingerprint, at } of touched.values()) await this.judge(kind, fingerprint, at, context);
  }

  private async judge(kind: FingerprintKind, fingerprint: string, at: Date, context: DetectorContext): Promise<void> {
    const since = kind === 'network' ? new Date(at.getTime() - this.rules.networkWindowMinutes * 60_000) : null;
    const accounts = await this.fingerprints.accounts(context.manager, kind, fingerprint, since);
    const threshold = kind === 'device' ? this.rules.minDeviceAccounts : this.rules.minNetworkAccounts;
    if (accounts.length < threshold) return;
    const fullScore =
      kind === 'device'
        ? this.rules.fullScoreDeviceAccounts
        : this.rules.minNetworkAccounts * (this.rules.fullScoreDeviceAccounts / this.rules.minDeviceAccounts);
    const score = Math.min(1, accounts.length / fullScore);
    const evidence = { fingerprintKind: kind, fingerprint, accounts: accounts.length, ...(since && { since }) };
    const clusterId = await this.flags.mergeCluster(
      context.manager,
      this,
      { kind: kind === 'device' ? 'SHARED_DEVICE' : 'SHARED_NETWORK', members: accounts, score, evidence },
      context.now,
    );
    await this.flags.upsertFlags(
      context.manager,
      this,
      accounts.map((userId) => ({ subjectType: 'ACCOUNT', subjectId: userId, score, clusterId, evidence })),
      context.now,
    );
  }
}
