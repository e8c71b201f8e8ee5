export interface BrandRecord {
  id: string;
  slug: string;
  name: string;
  website: string | null;
  description: string | null;
  createdAt: Date;
  claimed: boolean;
  /** Published photos of the brand. */
  photoCount: number;
}

/** An existing brand that a new entry may duplicate. */
export interface BrandCandidate {
  slug: string;
  name: string;
  /** 1 for the same website domain, otherwise the trigram similarity of the folded names. */
  similarity: number;
}
