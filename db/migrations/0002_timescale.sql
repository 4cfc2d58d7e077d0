-- When the timescaledb extension can be created: petitions become a hypertable, the per-minute rollup
-- becomes a real-time continuous aggregate with a refresh policy, old chunks are compressed, and old
-- minute buckets expire. Raw petitions are never dropped: they are statutory records.
-- Without the extension nothing changes and the writer keeps petition_minute_rollup itself.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    RAISE NOTICE 'timescaledb not available: plain tables with writer-maintained rollups';
    RETURN;
  END IF;
  BEGIN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
  EXCEPTION WHEN others THEN
    -- Installed but not preloaded (shared_preload_libraries), or not permitted: stay plain.
    RAISE NOTICE 'timescaledb could not be created (%): plain tables', SQLERRM;
    RETURN;
  END;

  PERFORM create_hypertable('petitions', by_range('received_at', INTERVAL '7 days'), migrate_data => true);

  EXECUTE $sql$
    CREATE MATERIALIZED VIEW petition_minute_cagg
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT time_bucket(INTERVAL '1 minute', received_at) AS bucket,
           coalesce(region_code, '') AS region_code,
           topic,
           channel,
           count(*)::integer AS total,
           (count(*) FILTER (WHERE grade = 'general'))::integer AS general,
           (count(*) FILTER (WHERE grade = 'key'))::integer AS key,
           (count(*) FILTER (WHERE grade = 'major'))::integer AS major,
           (count(*) FILTER (WHERE sentiment_label = 'negative'))::integer AS negative,
           sum(sentiment_score) AS sentiment_sum
    FROM petitions
    GROUP BY 1, 2, 3, 4
    WITH NO DATA
  $sql$;

  -- A 35-day window so petitions registered late (imports, letters) still reach the aggregate; only
  -- invalidated ranges are recomputed, so the wide window costs little.
  PERFORM add_continuous_aggregate_policy('petition_minute_cagg',
    start_offset => INTERVAL '35 days', end_offset => INTERVAL '1 minute',
    schedule_interval => INTERVAL '1 minute');

  ALTER TABLE petitions SET (timescaledb.compress, timescaledb.compress_segmentby = 'channel',
    timescaledb.compress_orderby = 'received_at DESC');
  PERFORM add_compression_policy('petitions', INTERVAL '60 days');
  PERFORM add_retention_policy('petition_minute_cagg', INTERVAL '400 days');

  CREATE OR REPLACE VIEW petition_minute AS
    SELECT bucket, region_code, topic, channel, total, general, key, major, negative, sentiment_sum
    FROM petition_minute_cagg;

  UPDATE app_settings SET value = 'timescale' WHERE key = 'storage_mode';
END
$migration$;
