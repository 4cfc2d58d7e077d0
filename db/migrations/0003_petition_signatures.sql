-- The analyser's near-duplicate signature on every petition: the encoded MinHash and its LSH band
-- keys. A GIN index on the bands finds the petitions that share a band with a new one in one index
-- probe, so repeat and joint petitions can be linked as they arrive.
ALTER TABLE petitions ADD COLUMN signature text;
ALTER TABLE petitions ADD COLUMN lsh_bands text[] NOT NULL DEFAULT '{}';
CREATE INDEX petitions_lsh_bands_idx ON petitions USING gin (lsh_bands);
