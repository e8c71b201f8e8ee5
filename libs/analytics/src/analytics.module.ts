import { Module } from '@nestjs/common';
import { BurstsDetector } from './bursts/bursts.detector.js';
import { BurstsRepository } from './bursts/bursts.repository.js';
import { AudienceRepository } from './captive-audience/audience.repository.js';
import { CaptiveAudienceDetector } from './captive-audience/captive-audience.detector.js';
import { DETECTORS } from './detector.js';
import { DetectorRunner } from './detector-runner.js';
import { FingerprintsRepository } from './fingerprints/fingerprints.repository.js';
import { SharedFingerprintsDetector } from './fingerprints/shared-fingerprints.detector.js';
import { FlagsRepository } from './flags.repository.js';
import { InviteTrustDetector } from './invite-trust/invite-trust.detector.js';
import { InviteTrustRepository } from './invite-trust/invite-trust.repository.js';
import { LockstepDetector } from './lockstep/lockstep.detector.js';
import { LockstepRepository } from './lockstep/lockstep.repository.js';
import { SuspiciousAccountsRepository } from './suspicious-accounts.repository.js';
import { NearDuplicatePhotosDetector } from './near-duplicates/near-duplicate-photos.detector.js';
import { PhotoHashesRepository } from './near-duplicates/photo-hashes.repository.js';
import { YoungAccountsDetector } from './young-accounts/young-accounts.detector.js';
import { YoungAccountsRepository } from './young-accounts/young-accounts.repository.js';

/** The detectors of inauthentic engagement, run over the events log by the worker and the CLI. */
@Module({
  providers: [
    FlagsRepository,
    PhotoHashesRepository,
    FingerprintsRepository,
    YoungAccountsRepository,
    LockstepRepository,
    AudienceRepository,
    BurstsRepository,
    InviteTrustRepository,
    SuspiciousAccountsRepository,
    NearDuplicatePhotosDetector,
    SharedFingerprintsDetector,
    YoungAccountsDetector,
    LockstepDetector,
    CaptiveAudienceDetector,
    BurstsDetector,
    InviteTrustDetector,
    {
      provide: DETECTORS,
      useFactory: (...detectors: unknown[]) => detectors,
      inject: [
        NearDuplicatePhotosDetector,
        SharedFingerprintsDetector,
        YoungAccountsDetector,
        LockstepDetector,
        CaptiveAudienceDetector,
        BurstsDetector,
        // Last: its seeds exclude accounts the others flagged in this run.
        InviteTrustDetector,
      ],
    },
    DetectorRunner,
  ],
  exports: [DetectorRunner, FlagsRepository, SuspiciousAccountsRepository],
})
export class AnalyticsModule {}
