-- 001: the platform's base schema. Never edit this file once shipped: add
-- a new numbered file instead (see migrate.go).

CREATE TABLE platform_meta (
	key   text PRIMARY KEY,
	value text NOT NULL
);

-- Access tokens: only the SHA-256 of the secret is stored.
CREATE TABLE tokens (
	id            text PRIMARY KEY,
	secret_sha256 text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
	provider      text NOT NULL CHECK (provider <> ''),
	role          text NOT NULL CHECK (role IN ('provider', 'inspector', 'office')),
	created_at    timestamptz NOT NULL,
	expires_at    timestamptz,
	revoked_at    timestamptz,
	public_key    text NOT NULL DEFAULT '',
	bound_at      timestamptz
);

-- The one row whose lock orders every acceptance (see doc.go): last is the
-- last server sequence number given out.
CREATE TABLE sequence_counter (
	id   int PRIMARY KEY CHECK (id = 1),
	last bigint NOT NULL CHECK (last >= 0)
);
INSERT INTO sequence_counter (id, last) VALUES (1, 0);

-- Accepted reports, byte for byte, with their receipts. received_ns keeps
-- the nanoseconds below the microsecond that timestamptz drops, so receipts
-- moved from a bbolt platform stay exactly the same.
CREATE TABLE reports (
	id           text PRIMARY KEY,
	seq          bigint NOT NULL UNIQUE CHECK (seq > 0),
	sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	size         integer NOT NULL,
	enterprise   text NOT NULL,
	provider     text NOT NULL,
	kind         text NOT NULL,
	version      integer NOT NULL,
	-- The first revision of a version wins: a second one is refused (409).
	replaces     text UNIQUE CHECK (replaces <> id),
	public_key   text NOT NULL,
	token_id     text NOT NULL DEFAULT '',
	source       text NOT NULL CHECK (source IN ('api', 'bundle')),
	received_at  timestamptz NOT NULL,
	received_ns  smallint NOT NULL DEFAULT 0 CHECK (received_ns BETWEEN 0 AND 999),
	level        integer NOT NULL,
	score_milli  bigint NOT NULL,
	finalized_at timestamptz,
	-- A spot-check names the report it checks.
	checks       text,
	body         bytea NOT NULL
);
CREATE INDEX reports_by_enterprise ON reports (enterprise, seq);
-- Bodies are signed JSON read back byte for byte: kept out of line without
-- compression, which costs CPU on every acceptance and saves little.
ALTER TABLE reports ALTER COLUMN body SET STORAGE EXTERNAL;

-- Idempotency keys (scoped by the server to the token or bundle import).
CREATE TABLE idempotency (
	key       text PRIMARY KEY,
	report_id text NOT NULL REFERENCES reports (id),
	sha256    text NOT NULL
);

-- Evidence files, under the SHA-256 of their content.
CREATE TABLE evidence (
	sha256  text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	content bytea NOT NULL
);
ALTER TABLE evidence ALTER COLUMN content SET STORAGE EXTERNAL; -- photos and PDFs are compressed already

-- The district roster: the enterprise file as JSON, with the columns the
-- office filters and sorts on copied out of it.
CREATE TABLE roster (
	code           text PRIMARY KEY,
	batch          integer NOT NULL,
	name           text NOT NULL,
	provider       text NOT NULL DEFAULT '',
	scale          text NOT NULL DEFAULT '',
	zjtx           text NOT NULL DEFAULT '',
	smart_factory  boolean NOT NULL DEFAULT false,
	pilot_industry boolean NOT NULL DEFAULT false,
	doc            jsonb NOT NULL,
	updated_at     timestamptz NOT NULL
);
CREATE INDEX roster_by_batch ON roster (batch, code);
