-- 002: the rest of a spot-check's link. 001 kept only the checked report's
-- ID (checks); a spot-check's signed body also pins that report's SHA-256,
-- names its kind and provider, and says whether it was rated blind. Never
-- edit this file once shipped: add a new numbered file instead.

ALTER TABLE reports
	ADD COLUMN checks_sha256 text,
	ADD COLUMN checks_kind   text,
	ADD COLUMN checks_org    text,
	ADD COLUMN checks_blind  boolean NOT NULL DEFAULT false;

-- Spot-checks stored before: their links come from their own signed bodies
-- (accepted bodies are verified JSON).
UPDATE reports r SET
	checks_sha256 = d.doc #>> '{checks,sha256}',
	checks_kind   = d.doc #>> '{checks,kind}',
	checks_org    = d.doc #>> '{checks,org}',
	checks_blind  = coalesce((d.doc #>> '{checks,blind}')::boolean, false)
FROM (SELECT id, convert_from(body, 'UTF8')::jsonb AS doc FROM reports WHERE checks IS NOT NULL) d
WHERE r.id = d.id;

-- The spot-checks of a report, for the office's views.
CREATE INDEX reports_by_checks ON reports (checks) WHERE checks IS NOT NULL;
