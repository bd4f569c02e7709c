package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"digilevel/model"
	"digilevel/storage/platform"
)

// Put stores a report exactly once; see the package doc for how the rules
// hold across processes. It goes to the group committer, which decides and
// commits every Put waiting at that moment in one transaction.
func (s *Store) Put(sub platform.Submission) (platform.Result, error) {
	res, err := s.committer.Put(sub)
	return res, s.closedOr(err)
}

// closedOr is ErrClosed when the store is closing (a connection error then
// is Close's doing), else err.
func (s *Store) closedOr(err error) error {
	if err == nil {
		return nil
	}
	select {
	case <-s.committer.Closing():
		return platform.ErrClosed
	default:
		return err
	}
}

func keyConflict(key string) platform.Result {
	return platform.Result{Outcome: platform.Conflict, Reason: "幂等键 " + key + " 已用于另一份报告"}
}

// existing answers a submission whose ID is stored.
func existing(stored, rec platform.Record) platform.Result {
	if stored.SHA256 != rec.SHA256 {
		return platform.Result{Outcome: platform.Conflict, Reason: "报告 " + rec.ID + " 已于 " + stored.ReceivedAt.Format(time.RFC3339) +
			" 以不同内容收到（服务器 sha256 " + model.ShortHash(stored.SHA256) + "，本次 " + model.ShortHash(rec.SHA256) + "），不能覆盖；如需更正请提交修订版"}
	}
	return platform.Result{Outcome: platform.Existing, Record: stored}
}

// groupState is what a group's transaction knows: the rows it read under
// the lock, updated with what the group itself adds, so later Puts of the
// group see earlier ones exactly as if they had committed alone.
type groupState struct {
	records    map[string]platform.Record // stored reports by ID (and the replaced and checked ones)
	replacedBy map[string]string          // replaced ID -> revision ID
	keys       map[string]string          // idempotency key -> "<id> <sha256>"
	tokens     map[string]platform.Token
	bound      map[string]bool // tokens whose key this group binds
}

// linkState is a spot-check's link state against the checked report as
// the group sees it (platform.LinkState).
func (st *groupState) linkState(rec platform.Record) string {
	if c, ok := st.records[rec.Checks]; ok && rec.Checks != "" {
		return platform.LinkState(rec, &c)
	}
	return platform.LinkState(rec, nil)
}

// runGroup decides and stores a group in one transaction. The first
// statement locks the sequence counter's row: every acceptance, in every
// process, holds that lock from its first read to its commit, so the
// decisions below see every report committed before, and sequence numbers
// are handed out in commit order without gaps (a rolled-back group never
// changed the counter).
func (s *Store) runGroup(group []*platform.PutRequest) error {
	ctx, cancel := s.ctx()
	defer cancel()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	// The transaction is opened and committed by hand so that BEGIN, the
	// lock and the reads go in one round trip and the writes and COMMIT in
	// another: the lock is held for as little as possible.
	committed := false
	defer func() {
		if !committed {
			if _, err := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
				conn.Conn().Close(context.WithoutCancel(ctx)) // unknown state: never reuse it
			}
		}
	}()
	st, last, err := readGroupState(ctx, conn, group)
	if err != nil {
		return err
	}
	writes := &pgx.Batch{}
	for _, r := range group {
		res, err := s.decide(st, r.Sub, &last, writes)
		if err != nil {
			return err
		}
		r.Result = res
	}
	for id := range st.bound {
		t := st.tokens[id]
		writes.Queue(`UPDATE tokens SET public_key = $2, bound_at = $3 WHERE id = $1`, id, t.PublicKey, t.BoundAt)
	}
	if writes.Len() == 0 {
		return nil // nothing to write: the deferred ROLLBACK ends the read
	}
	writes.Queue(`UPDATE sequence_counter SET last = $1 WHERE id = 1`, last)
	writes.Queue(`COMMIT`)
	br := conn.SendBatch(ctx, writes)
	for range writes.Len() - 1 {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return err
		}
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if tag.String() != "COMMIT" {
		return fmt.Errorf("事务未提交（%s）", tag.String())
	}
	committed = true
	return nil
}

// readGroupState takes the lock (the batch's first statement) and reads
// what the group's rules need, in one round trip.
func readGroupState(ctx context.Context, conn batcher, group []*platform.PutRequest) (*groupState, int64, error) {
	var ids, keys, tokens []string
	for _, r := range group {
		rec := r.Sub.Record
		ids = append(ids, rec.ID)
		if rec.Replaces != "" {
			ids = append(ids, rec.Replaces)
		}
		if rec.Checks != "" {
			ids = append(ids, rec.Checks)
		}
		if r.Sub.IdempotencyKey != "" {
			keys = append(keys, r.Sub.IdempotencyKey)
		}
		if rec.TokenID != "" {
			tokens = append(tokens, rec.TokenID)
		}
	}
	st := &groupState{records: map[string]platform.Record{}, replacedBy: map[string]string{}, keys: map[string]string{},
		tokens: map[string]platform.Token{}, bound: map[string]bool{}}
	b := &pgx.Batch{}
	b.Queue(`BEGIN ISOLATION LEVEL READ COMMITTED`)
	b.Queue(`SELECT last FROM sequence_counter WHERE id = 1 FOR UPDATE`)
	b.Queue(`SELECT `+recordCols+` FROM reports r WHERE r.id = ANY($1)`, ids)
	b.Queue(`SELECT replaces, id FROM reports WHERE replaces = ANY($1)`, ids)
	b.Queue(`SELECT key, report_id || ' ' || sha256 FROM idempotency WHERE key = ANY($1)`, keys)
	// Locking the tokens orders a binding against a concurrent revoke or rebind.
	b.Queue(`SELECT `+tokenCols+` FROM tokens WHERE id = ANY($1) ORDER BY id FOR UPDATE`, tokens)
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, 0, err
	}
	var last int64
	if err := br.QueryRow().Scan(&last); err != nil {
		return nil, 0, err
	}
	rows, err := br.Query()
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		st.records[rec.ID] = rec
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var old, by string
	if _, err := pgx.ForEachRow(mustQuery(br), []any{&old, &by}, func() error { st.replacedBy[old] = by; return nil }); err != nil {
		return nil, 0, err
	}
	var key, named string
	if _, err := pgx.ForEachRow(mustQuery(br), []any{&key, &named}, func() error { st.keys[key] = named; return nil }); err != nil {
		return nil, 0, err
	}
	rows, err = br.Query()
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		st.tokens[t.ID] = t
	}
	return st, last, rows.Err()
}

// batcher sends a batch on one connection.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// mustQuery is the next result of a batch; an error surfaces from the rows.
func mustQuery(br pgx.BatchResults) pgx.Rows {
	rows, _ := br.Query()
	return rows
}

// decide is the rules of Put for one submission, against the group's
// state; a new report is queued on writes with the next sequence number.
// It mirrors the bbolt engine's put (storage/serverstore) rule for rule.
func (s *Store) decide(st *groupState, sub platform.Submission, last *int64, writes *pgx.Batch) (platform.Result, error) {
	rec := sub.Record
	if sub.IdempotencyKey != "" {
		if v, ok := st.keys[sub.IdempotencyKey]; ok && v != rec.ID+" "+rec.SHA256 {
			return keyConflict(sub.IdempotencyKey), nil
		}
	}
	if stored, ok := st.records[rec.ID]; ok {
		stored.ReplacedBy = st.replacedBy[rec.ID]
		stored.ChecksState = st.linkState(stored)
		return existing(stored, rec), nil
	}
	if rec.Replaces != "" {
		if rec.Replaces == rec.ID {
			return platform.Result{Outcome: platform.Conflict, Reason: "报告不能修订它自己"}, nil
		}
		if by, ok := st.replacedBy[rec.Replaces]; ok {
			return platform.Result{Outcome: platform.Conflict, Reason: "被修订的版本 " + rec.Replaces + " 已被 " + by + " 取代，不是当前版本；请基于最新版本修订"}, nil
		}
		if old, ok := st.records[rec.Replaces]; ok && old.Enterprise != rec.Enterprise {
			return platform.Result{Outcome: platform.Conflict, Reason: "修订版属于企业 " + rec.Enterprise + "，被修订的版本 " + rec.Replaces + " 属于企业 " + old.Enterprise}, nil
		}
	}
	if rec.Checks != "" {
		if checked, ok := st.records[rec.Checks]; ok {
			if problem := platform.LinkProblem(rec, checked); problem != "" {
				return platform.Result{Outcome: platform.CheckedMismatch, Reason: problem}, nil
			}
		}
	}
	now := s.now().UTC()
	if rec.TokenID != "" {
		t, ok := st.tokens[rec.TokenID]
		switch {
		case !ok:
			return platform.Result{}, notFound("令牌 %s 不存在", rec.TokenID)
		case !t.Active(now):
			return platform.Result{Outcome: platform.TokenInactive, Reason: "令牌已被吊销或已过期"}, nil
		case t.PublicKey == "":
			t.PublicKey, t.BoundAt = rec.PublicKey, now
			st.tokens[t.ID], st.bound[t.ID] = t, true
		case t.PublicKey != rec.PublicKey:
			return platform.Result{Outcome: platform.KeyMismatch, Reason: "报告的签名密钥 " + platform.Fingerprint(rec.PublicKey) + " 不是该令牌绑定的设备密钥 " +
				platform.Fingerprint(t.PublicKey) + "；如更换了电脑，请管理员执行 digilevel serve token rebind"}, nil
		}
	}
	*last++
	rec.Seq, rec.ReceivedAt, rec.Size, rec.ReplacedBy = uint64(*last), now, len(sub.Body), ""
	rec.ChecksState = st.linkState(rec)
	writes.Queue(insertReport, insertArgs(rec, sub.Body)...)
	if sub.IdempotencyKey != "" {
		writes.Queue(`INSERT INTO idempotency (key, report_id, sha256) VALUES ($1, $2, $3)`, sub.IdempotencyKey, rec.ID, rec.SHA256)
		st.keys[sub.IdempotencyKey] = rec.ID + " " + rec.SHA256
	}
	st.records[rec.ID] = rec
	if rec.Replaces != "" {
		st.replacedBy[rec.Replaces] = rec.ID
	}
	// A revision may have arrived before the version it replaces.
	rec.ReplacedBy = st.replacedBy[rec.ID]
	return platform.Result{Outcome: platform.Created, Record: rec}, nil
}
