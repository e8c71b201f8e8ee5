import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig, DomainError, localSecret, queryRows } from '@boardroom/core';

export interface ResearchProject {
  id: string;
  name: string;
  /** The project's pseudonym key (decrypted, never stored so). */
  key: Buffer;
}

/** A project name: lower-case letters, digits and dashes. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Research projects and their pseudonym keys: one random key per project, kept in the database encrypted
 * (AES-256-GCM) under the operator's RESEARCH_KEY_SECRET, so a copy of the database alone cannot link
 * pseudonyms to ids; a follow-up export of the same project uses the same key, so its pseudonyms join.
 */
@Injectable()
export class ResearchProjects {
  private readonly masterKey: Buffer;

  constructor(config: AppConfig) {
    this.masterKey = config.research.keySecret
      ? createHash('sha256').update(config.research.keySecret, 'utf8').digest()
      : localSecret(config.dataDir, 'research');
  }

  /** The project of this owner (null: the operator) and name, created with a new key on first use. */
  async open(manager: EntityManager, ownerId: string | null, name: string): Promise<ResearchProject> {
    if (!PROJECT_NAME.test(name)) {
      throw DomainError.badInput(
        'A project name is 1–63 lower-case letters, digits and dashes, e.g. "brand-trust-2026".',
        [{ field: 'project', message: 'must match ^[a-z0-9][a-z0-9-]{0,62}$' }],
      );
    }
    const key = randomBytes(32);
    await queryRows(
      manager,
      `INSERT INTO research_projects (name, owner_id, key_ciphertext, created_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (coalesce(owner_id, '00000000-0000-0000-0000-000000000000'::uuid), name) DO NOTHING`,
      [name, ownerId, this.encrypt(key)],
    );
    const [row] = await queryRows<{ id: string; key_ciphertext: string }>(
      manager,
      `SELECT id, key_ciphertext FROM research_projects WHERE owner_id IS NOT DISTINCT FROM $1 AND name = $2`,
      [ownerId, name],
    );
    return { id: row!.id, name, key: this.decrypt(row!.key_ciphertext) };
  }

  /** The project an export job was made for. */
  async find(manager: EntityManager, id: string): Promise<ResearchProject> {
    const [row] = await queryRows<{ id: string; name: string; key_ciphertext: string }>(
      manager,
      `SELECT id, name, key_ciphertext FROM research_projects WHERE id = $1`,
      [id],
    );
    if (!row) throw new Error(`No research project ${id}`);
    return { id: row.id, name: row.name, key: this.decrypt(row.key_ciphertext) };
  }

  private encrypt(key: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
    return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')).join('.');
  }

  private decrypt(stored: string): Buffer {
    const [iv, tag, ciphertext] = stored.split('.').map((part) => Buffer.from(part, 'base64url')) as [
      Buffer,
      Buffer,
      Buffer,
    ];
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new Error('A research project key does not decrypt: RESEARCH_KEY_SECRET changed since it was created');
    }
  }
}
