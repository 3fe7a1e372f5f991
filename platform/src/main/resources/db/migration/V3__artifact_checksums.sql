-- Artifacts carry their SHA-256 (hex), returned with listings and downloads so clients can verify them.
ALTER TABLE artifacts ADD COLUMN sha256 CHAR(64);
UPDATE artifacts SET sha256 = LOWER(RAWTOHEX(HASH('SHA-256', content)));
ALTER TABLE artifacts ALTER COLUMN sha256 SET NOT NULL;
