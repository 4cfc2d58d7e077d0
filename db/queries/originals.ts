import type { Queryable } from '../client.ts';

/** A petition's original as its channel delivered it, sealed. */
export interface SealedOriginalRow {
  petitionId: string;
  receivedAt: Date;
  format: string;
  position: string | null;
  keyId: string;
  sealed: Buffer;
}

export interface SealedAttachmentRow {
  id: string;
  petitionId: string;
  receivedAt: Date;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  keyId: string;
  sealed: Buffer;
}

/** Stores the originals of a batch in one statement. */
export async function insertOriginals(tx: Queryable, rows: readonly SealedOriginalRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO petition_originals (petition_id, received_at, format, position, key_id, sealed)
     SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bytea[])`,
    [
      rows.map((r) => r.petitionId),
      rows.map((r) => r.receivedAt),
      rows.map((r) => r.format),
      rows.map((r) => r.position),
      rows.map((r) => r.keyId),
      rows.map((r) => r.sealed),
    ],
  );
}

/** Stores attachments (few per batch; each can be megabytes, so one row per statement). */
export async function insertAttachments(tx: Queryable, rows: readonly SealedAttachmentRow[]): Promise<void> {
  for (const r of rows) {
    await tx.query(
      `INSERT INTO petition_attachments (id, petition_id, received_at, filename, content_type, size_bytes,
         sha256, key_id, sealed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, r.petitionId, r.receivedAt, r.filename, r.contentType, r.sizeBytes, r.sha256, r.keyId, r.sealed],
    );
  }
}

export interface StoredOriginal {
  format: string;
  position: string | null;
  keyId: string;
  sealed: Buffer;
}

/** The sealed original of one petition, or null (petitions from before originals were kept). */
export async function findOriginal(db: Queryable, petitionId: string): Promise<StoredOriginal | null> {
  const { rows } = await db.query<{ format: string; position: string | null; key_id: string; sealed: Uint8Array }>(
    'SELECT format, position, key_id, sealed FROM petition_originals WHERE petition_id = $1',
    [petitionId],
  );
  const r = rows[0];
  return r ? { format: r.format, position: r.position, keyId: r.key_id, sealed: Buffer.from(r.sealed) } : null;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** What files a petition has, without their content. */
export async function listAttachments(db: Queryable, petitionId: string): Promise<AttachmentInfo[]> {
  const { rows } = await db.query<{
    id: string;
    filename: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
  }>(
    `SELECT id, filename, content_type, size_bytes, sha256 FROM petition_attachments
     WHERE petition_id = $1 ORDER BY filename, id`,
    [petitionId],
  );
  return rows.map((r) => ({
    id: r.id,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
  }));
}

/** One attachment with its sealed content, or null. */
export async function findAttachment(
  db: Queryable,
  petitionId: string,
  attachmentId: string,
): Promise<(AttachmentInfo & { keyId: string; sealed: Buffer }) | null> {
  const { rows } = await db.query<{
    id: string;
    filename: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
    key_id: string;
    sealed: Uint8Array;
  }>(
    `SELECT id, filename, content_type, size_bytes, sha256, key_id, sealed FROM petition_attachments
     WHERE petition_id = $1 AND id = $2`,
    [petitionId, attachmentId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    keyId: r.key_id,
    sealed: Buffer.from(r.sealed),
  };
}
