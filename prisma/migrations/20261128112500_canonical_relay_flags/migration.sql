-- Relay flags are stored sorted and without duplicates: the match engine copies a single relay's flags into its hits
-- as they are (lib/match/matchSql.ts), and the relay import writes them that way (lib/relays/upsertRelays.ts).
UPDATE "relay" SET "flags" = ARRAY(SELECT DISTINCT f FROM unnest("flags") AS f ORDER BY f)
WHERE "flags" IS DISTINCT FROM ARRAY(SELECT DISTINCT f FROM unnest("flags") AS f ORDER BY f) AND "flags" IS NOT NULL;
