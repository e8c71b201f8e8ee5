/** A comment as the services see it; a deleted one keeps its row (and body) for moderation. */
export interface CommentRecord {
  id: string;
  photoId: string;
  authorId: string;
  body: string;
  createdAt: Date;
  deletedAt: Date | null;
  /** The author is banned: the comment is hidden from everyone but staff. */
  authorBanned: boolean;
}

/** A row of a photo's comment list, with the exact text of its timestamp for the cursor. */
export type ListedComment = CommentRecord & { sortKey: string };

/** The longest comment, in characters (code points, as the database's CHECK counts them). */
export const COMMENT_MAX_LENGTH = 2000;
