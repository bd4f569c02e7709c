-- 003: the district dashboard's records (package web). Never edit this file
-- once shipped: add a new numbered file instead.

-- Browser sessions of office tokens, by the SHA-256 of the session ID (the
-- ID itself, the cookie's value, is never stored).
CREATE TABLE sessions (
	id_sha256  text PRIMARY KEY CHECK (id_sha256 ~ '^[0-9a-f]{64}$'),
	token_id   text NOT NULL,
	csrf       text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);

-- The numbering of the two logs below. A row is locked by the transaction
-- that appends, so sequence numbers become visible in order, without gaps,
-- across server processes: a reader that asks for "after n" misses none.
CREATE TABLE dashboard_counters (
	name text PRIMARY KEY CHECK (name IN ('rejections', 'exclusions')),
	last bigint NOT NULL CHECK (last >= 0)
);
INSERT INTO dashboard_counters (name, last) VALUES ('rejections', 0), ('exclusions', 0);

-- Uploads refused for a reason of the report itself, each provider, report,
-- hash and reason once.
CREATE TABLE rejections (
	seq       bigint PRIMARY KEY CHECK (seq > 0),
	at        timestamptz NOT NULL,
	provider  text NOT NULL CHECK (provider <> ''),
	role      text NOT NULL,
	token_id  text NOT NULL DEFAULT '',
	source    text NOT NULL,
	report_id text NOT NULL,
	sha256    text NOT NULL DEFAULT '',
	status    integer NOT NULL,
	code      text NOT NULL CHECK (code <> ''),
	message   text NOT NULL,
	UNIQUE (provider, report_id, sha256, code)
);

-- The office's Art. 25 findings, appended; the latest per enterprise holds.
CREATE TABLE exclusions (
	seq        bigint PRIMARY KEY CHECK (seq > 0),
	enterprise text NOT NULL,
	reasons    text[] NOT NULL,
	note       text NOT NULL,
	by_name    text NOT NULL CHECK (by_name <> ''),
	at         timestamptz NOT NULL
);
