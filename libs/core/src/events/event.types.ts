/** A domain event as written by the feature that caused it. */
export interface NewEvent {
  /** Dotted, lower-case: `photo.published`, `brand.created`. */
  action: string;
  actorId?: string | null;
  brandId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  /** Raw fingerprints; only their keyed hashes are stored. */
  deviceFingerprint?: string | null;
  networkFingerprint?: string | null;
  meta?: Record<string, unknown>;
  /**
   * An earlier event whose fingerprint hashes this one carries (unless given above): how a job acting on
   * a request's behalf, such as publishing an uploaded photo, keeps the actor's fingerprints on its event.
   */
  fingerprintsOfEvent?: string | null;
  /** Defaults to the product's Clock (the simulated one in a simulation); a feature may date an event it replays. */
  occurredAt?: Date;
}

/** A stored event, as consumers read it. */
export interface StoredEvent {
  id: string;
  xid: string;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  brandId: string | null;
  targetType: string | null;
  targetId: string | null;
  deviceFingerprintHash: string | null;
  networkFingerprintHash: string | null;
  meta: Record<string, unknown>;
}

/** Where a consumer has read up to: the (transaction, id) of the last event it handled. */
export interface EventPosition {
  xid: string;
  id: string;
}
