/** A column's type, as the Table Schema of the data package names it. */
export type ColumnType = 'string' | 'integer' | 'boolean' | 'datetime';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  description: string;
}

export type ExportValue = string | number | boolean | Date | null;
export type ExportRow = Record<string, ExportValue>;

export interface TableSpec {
  name: 'events' | 'accounts' | 'brands' | 'invites' | 'duplicate_clusters' | 'daily_counts';
  title: string;
  description: string;
  columns: readonly ColumnSpec[];
}

const FLAGS_NOTE =
  'Detector flags as CODE@version, separated by ";" (empty when none); flags a moderator cleared are left out.';

/** Every table of a research export, its columns and what each holds: the one source of the files and their schemas. */
export const EXPORT_TABLES: readonly TableSpec[] = [
  {
    name: 'events',
    title: 'Events',
    description:
      'One row per event of the window, in the order they happened (within an hour, the order is kept but the time is not).',
    columns: [
      {
        name: 'actor',
        type: 'string',
        description: 'Pseudonym of the account that acted (joins accounts.account); empty for the system.',
      },
      {
        name: 'action',
        type: 'string',
        description: 'What happened, e.g. photo.published, comment.posted, invite.accepted.',
      },
      {
        name: 'brand',
        type: 'string',
        description: 'Slug of the brand the event belongs to (joins brands.brand); empty when none.',
      },
      {
        name: 'target_type',
        type: 'string',
        description: 'Kind of the object acted on: photo, comment, user, brand, proposal, offer, invite, …',
      },
      {
        name: 'target',
        type: 'string',
        description: 'Pseudonym of the object acted on (accounts use the same pseudonyms as actor).',
      },
      { name: 'hour', type: 'datetime', description: 'When, coarsened to the start of the hour (UTC).' },
      { name: 'actor_flags', type: 'string', description: `Flags on the actor's account. ${FLAGS_NOTE}` },
      {
        name: 'action_flags',
        type: 'string',
        description: `Flags on this event or on the photo it targets. ${FLAGS_NOTE}`,
      },
    ],
  },
  {
    name: 'accounts',
    title: 'Accounts',
    description:
      'One row per account that acted in the window. Quasi-identifiers are generalized for k-anonymity (see kAnonymity).',
    columns: [
      { name: 'account', type: 'string', description: 'Pseudonym of the account.' },
      {
        name: 'signup_week',
        type: 'string',
        description:
          'ISO week of sign-up (2026-W07), or a range of weeks (2026-W05..W08), a year, or * when generalized.',
      },
      {
        name: 'brands',
        type: 'string',
        description: 'In how many brands the account holds a title; capped (10+, 5+, …) or * when generalized.',
      },
      {
        name: 'top_title',
        type: 'string',
        description: 'Highest title held (INTERN … CEO, NONE), a band (JUNIOR, MIDDLE, SENIOR) or * when generalized.',
      },
      { name: 'titles_held', type: 'integer', description: 'Number of employments (brand titles) the account holds.' },
      {
        name: 'trust_tier',
        type: 'string',
        description:
          'Invite-tree trust tier from the INVITE_TRUST detector (SybilRank): SEED (a long-standing, organically active ' +
          'account trust starts from), HIGH, MEDIUM, LOW (nobody outside its own group vouches for it), UNKNOWN (no ' +
          'accepted invite and no returned follow or comment: not in the trust graph).',
      },
      { name: 'flags', type: 'string', description: `Flags on the account. ${FLAGS_NOTE}` },
      {
        name: 'generalization_level',
        type: 'integer',
        description: '0: quasi-identifiers as they are; 1–4: increasingly generalized; 4: suppressed.',
      },
    ],
  },
  {
    name: 'brands',
    title: 'Brands',
    description: 'One row per brand in the export.',
    columns: [
      { name: 'brand', type: 'string', description: 'Slug of the brand (public on Boardroom).' },
      { name: 'claimed', type: 'boolean', description: 'Whether the brand has claimed its page.' },
      { name: 'employees', type: 'integer', description: 'Accounts holding a title in the brand at export time.' },
      { name: 'published_photos', type: 'integer', description: 'Published photos of the brand at export time.' },
      { name: 'events', type: 'integer', description: 'Events of the brand in this export.' },
    ],
  },
  {
    name: 'invites',
    title: 'Invites',
    description: 'Invites accepted in the window by an account of the export: who invited whom, and what became of it.',
    columns: [
      { name: 'inviter', type: 'string', description: 'Pseudonym of the inviting account.' },
      { name: 'invitee', type: 'string', description: 'Pseudonym of the invited account.' },
      { name: 'accepted_week', type: 'string', description: 'ISO week the invite was accepted.' },
      { name: 'qualified', type: 'boolean', description: "The invitee's first earning photo paid the inviter." },
      {
        name: 'flagged',
        type: 'boolean',
        description: 'Flagged as a self-invite (same device, network or email): paid nothing.',
      },
      { name: 'flag_reason', type: 'string', description: 'SAME_DEVICE, SAME_NETWORK or SAME_EMAIL when flagged.' },
      {
        name: 'revoked',
        type: 'boolean',
        description: 'Revoked later because the invitee was banned or confirmed inauthentic.',
      },
    ],
  },
  {
    name: 'duplicate_clusters',
    title: 'Near-duplicate photo clusters',
    description:
      'Clusters of one picture published by several accounts (NEAR_DUPLICATE_PHOTOS), one row per member photo. No hashes, no images.',
    columns: [
      { name: 'cluster', type: 'string', description: 'Pseudonym of the cluster.' },
      {
        name: 'photo',
        type: 'string',
        description: 'Pseudonym of a member photo (joins events.target where target_type is photo).',
      },
      { name: 'owner', type: 'string', description: 'Pseudonym of the account that published it.' },
      { name: 'detector_version', type: 'string', description: 'Version of the detector that formed the cluster.' },
    ],
  },
];

export function tableSpec(name: TableSpec['name']): TableSpec {
  return EXPORT_TABLES.find((table) => table.name === name)!;
}

/** The actions `daily_counts` counts: a fixed list, so which actions appear says nothing. */
export const DAILY_COUNT_ACTIONS = [
  'photo.published',
  'comment.posted',
  'user.followed',
  'invite.accepted',
  'proposal.created',
  'proposal.voted',
  'offer.redeemed',
] as const;

/** The differentially private aggregates, written only when the operator set an epsilon. */
export const DAILY_COUNTS_TABLE: TableSpec = {
  name: 'daily_counts',
  title: 'Daily counts (differentially private)',
  description:
    'Events per brand, UTC day and action, with Laplace noise: every cell of the window, empty ones too. ' +
    'See README.md for epsilon and the contribution bound.',
  columns: [
    { name: 'brand', type: 'string', description: 'Slug of the brand (joins brands.brand).' },
    { name: 'day', type: 'string', description: 'The UTC day, YYYY-MM-DD.' },
    { name: 'action', type: 'string', description: `One of ${DAILY_COUNT_ACTIONS.join(', ')}.` },
    {
      name: 'noisy_count',
      type: 'integer',
      description:
        'The count plus Laplace noise, rounded; may be negative (not clamped, so sums over cells stay unbiased).',
    },
  ],
};
