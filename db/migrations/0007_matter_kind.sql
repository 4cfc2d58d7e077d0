-- The kind of matter (信访工作条例 Arts. 29–31): suggestion, accusation (检举控告), grievance or
-- litigation-related, and for accusations the accused unit. The confidentiality rule reads these:
-- the accused unit and its staff never see the accuser.
ALTER TABLE petitions ADD COLUMN matter_kind text NOT NULL DEFAULT 'grievance'
  CHECK (matter_kind IN ('suggestion', 'accusation', 'grievance', 'litigation'));
ALTER TABLE petitions ADD COLUMN accused_unit text;
