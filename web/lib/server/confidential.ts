import { hasRole, type Identity } from '$server/auth/identity.ts';

/**
 * The console's confidentiality rules, the same as server/auth/privacy.ts applies to contacts: admins
 * and operators handle petitioners and see personal data in clear (audited); other staff see it
 * masked; the unit an accusation names never sees the accuser (信访工作条例 Art. 30).
 */

/** Roles that see petition text, originals, attachments and dead-letter payloads in clear. */
export function seesInClear(identity: Identity): identity is Extract<Identity, { kind: 'user' }> {
  return hasRole(identity, 'admin', 'operator');
}

/**
 * Whether `identity` works for the unit an accusation is about: such a viewer sees neither the text,
 * the original, the attachments nor the petitioner — not even masked.
 */
export function isAccusedUnit(
  petition: { matterKind: string; accusedUnit: string | null },
  identity: Identity,
): boolean {
  if (petition.matterKind !== 'accusation' || !petition.accusedUnit || identity.kind !== 'user') return false;
  return identity.department === petition.accusedUnit || identity.agency === petition.accusedUnit;
}

/** Whether the viewer belongs to any unit at all (only then can an accusation be about them). */
export function hasUnit(identity: Identity): boolean {
  return identity.kind === 'user' && Boolean(identity.department || identity.agency);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids of petitions, dead letters and attachments are UUIDs; anything else is refused before a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** RFC 5987 `attr-char` encoding for `filename*=UTF-8''…`. */
function encodeFilename(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Headers for handing sealed personal data to a person: always a download, never cached or sniffed. */
export function downloadHeaders(filename: string, contentType: string): Record<string, string> {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    'content-type': contentType,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeFilename(filename)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
