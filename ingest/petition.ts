import type { ChannelCode } from './channels/catalog.ts';

/** Petitioner identity as a channel reports it. Stored apart from the text; never sent live. */
export interface Contact {
  name?: string;
  phone?: string;
  idNumber?: string;
  /** Where the petitioner lives or the matter is; also used to place the petition in a district. */
  address?: string;
  /** The sender's e-mail address, for petitions that came by e-mail. */
  email?: string;
}

/** One petition as any channel hands it to intake (the JSON body of `POST /api/petitions`). */
export interface PetitionInput {
  channel: ChannelCode;
  text: string;
  /** ISO 8601 with offset; defaults to the time intake accepts it. */
  receivedAt?: string;
  /** 6-digit division code of where it happened. */
  regionCode?: string;
  /** The channel's own id; a repeat of channel + externalId is stored once. */
  externalId?: string;
  contact?: Contact;
  /** 建议意见 suggestion, 检举控告 accusation, 申诉求决 grievance (default), 涉法涉诉 litigation. */
  matterKind?: MatterKind;
  /** For an accusation: the unit accused. It and its staff are never shown who the accuser is. */
  accusedUnit?: string;
}

export const MATTER_KINDS = ['suggestion', 'accusation', 'grievance', 'litigation'] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];
