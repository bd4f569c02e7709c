package serverstore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/internal/boltkit"
)

func TestPutOutcomes(t *testing.T) {
	s := newTestStore(t)
	reports, _ := seedReports(t, 10, 50, 1)
	if len(reports) < 3 {
		t.Fatalf("only %d reports seeded", len(reports))
	}
	r := reports[0]
	first := mustPut(t, s, submission(r, ""), Created)
	if first.Record.Seq != 1 || !first.Record.ReceivedAt.Equal(t0) || first.Record.Size != len(r.Body) {
		t.Errorf("created record %+v", first.Record)
	}
	again := mustPut(t, s, submission(r, ""), Existing)
	if again.Record.Seq != first.Record.Seq || !again.Record.ReceivedAt.Equal(first.Record.ReceivedAt) {
		t.Errorf("same report again: %+v, want the original receipt %+v", again.Record, first.Record)
	}

	t.Run("same id, other hash", func(t *testing.T) {
		other := submission(reports[1], "")
		other.Record.ID = r.Doc.ID
		other.IdempotencyKey = ""
		res := mustPut(t, s, other, Conflict)
		if !bytes.Contains([]byte(res.Reason), []byte(r.Doc.ID)) {
			t.Errorf("reason %q does not name the report", res.Reason)
		}
	})
	t.Run("idempotency key reused", func(t *testing.T) {
		sub := submission(reports[1], "")
		sub.IdempotencyKey = submission(r, "").IdempotencyKey
		mustPut(t, s, sub, Conflict)
	})
	_, body, err := s.Report(r.Doc.ID)
	if err != nil || !bytes.Equal(body, r.Body) {
		t.Errorf("stored body differs from the upload (%v)", err)
	}
	if seq, _ := s.LastSeq(); seq != 1 {
		t.Errorf("last seq %d after one accepted report", seq)
	}
}

func TestPutRevisions(t *testing.T) {
	s := newTestStore(t)
	reports, db := seedReports(t, 10, 50, 1)
	orig := reports[0]
	rev := revise(t, db, orig.Doc.ID)
	if rev.Doc.Replaces != orig.Doc.ID {
		t.Fatalf("revision replaces %q", rev.Doc.Replaces)
	}
	mustPut(t, s, submission(orig, ""), Created)
	mustPut(t, s, submission(rev, ""), Created)
	recs, err := s.Reports(orig.Doc.Enterprise.Code)
	if err != nil || len(recs) != 2 || recs[0].ReplacedBy != rev.Doc.ID || recs[1].ReplacedBy != "" {
		t.Fatalf("enterprise reports %+v %v", recs, err)
	}
	// A second revision of the same (no longer current) version conflicts.
	rev2 := revise(t, db, rev.Doc.ID) // replaces rev: fine
	mustPut(t, s, submission(rev2, ""), Created)
	stale := submission(reports[1], "")
	stale.Record.Replaces = orig.Doc.ID
	stale.Record.Enterprise = orig.Doc.Enterprise.Code
	res := mustPut(t, s, stale, Conflict)
	if !bytes.Contains([]byte(res.Reason), []byte("不是当前版本")) {
		t.Errorf("reason %q", res.Reason)
	}

	t.Run("revision before the original", func(t *testing.T) {
		s := newTestStore(t)
		o := reports[1]
		r := revise(t, db, o.Doc.ID)
		mustPut(t, s, submission(r, ""), Created)
		created := mustPut(t, s, submission(o, ""), Created)
		if created.Record.ReplacedBy != r.Doc.ID {
			t.Errorf("original arriving late is not marked replaced: %+v", created.Record)
		}
	})
}

func TestKeyBinding(t *testing.T) {
	s := newTestStore(t)
	reports, _ := seedReports(t, 10, 50, 1)
	addToken(t, s, "TOK1", "合成服务商 00", RoleProvider)
	mustPut(t, s, submission(reports[0], "TOK1"), Created)
	tok, _ := s.Token("TOK1")
	if tok.PublicKey != reports[0].Doc.Signature.PublicKey || !tok.BoundAt.Equal(t0) {
		t.Fatalf("first key not bound: %+v", tok)
	}
	// Another laptop's report with the same token.
	other, _ := seedReports(t, 10, 50, 2)
	res := mustPut(t, s, submission(other[0], "TOK1"), KeyMismatch)
	if !bytes.Contains([]byte(res.Reason), []byte("rebind")) {
		t.Errorf("reason %q does not say how to fix it", res.Reason)
	}
	if _, err := s.RebindToken("TOK1", "", t0); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, submission(other[0], "TOK1"), Created)
	mustPut(t, s, submission(reports[1], "TOK1"), KeyMismatch)
	if _, err := s.RevokeToken("TOK1", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, submission(other[1], "TOK1"), TokenInactive)
}

func TestTokens(t *testing.T) {
	s := newTestStore(t)
	addToken(t, s, "B", "服务商乙", RoleInspector)
	addToken(t, s, "A", "服务商甲", RoleProvider)
	if err := s.AddToken(Token{ID: "A", SecretHash: string(bytes.Repeat([]byte("0"), 64)), Provider: "x", Role: RoleOffice}); !errors.Is(err, model.ErrExists) {
		t.Errorf("duplicate token id: %v", err)
	}
	if err := s.AddToken(Token{ID: "C", SecretHash: "short", Provider: "x", Role: RoleOffice}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad hash: %v", err)
	}
	if err := s.AddToken(Token{ID: "D", SecretHash: string(bytes.Repeat([]byte("0"), 64)), Provider: "x", Role: "admin"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad role: %v", err)
	}
	list, err := s.Tokens()
	if err != nil || len(list) != 2 || list[0].ID != "A" || list[1].ID != "B" {
		t.Errorf("tokens %+v %v", list, err)
	}
	if _, err := s.RevokeToken("nope", t0); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	tok, _ := s.RevokeToken("A", t0)
	tok2, _ := s.RevokeToken("A", t0.Add(time.Hour))
	if !tok.RevokedAt.Equal(t0) || !tok2.RevokedAt.Equal(t0) || tok.Active(t0) {
		t.Errorf("revoked twice: %v %v", tok.RevokedAt, tok2.RevokedAt)
	}
	exp := Token{ExpiresAt: t0}
	if exp.Active(t0) || !exp.Active(t0.Add(-time.Second)) {
		t.Error("expiry is exclusive of the instant")
	}
}

// Many goroutines put the same and different reports at once: each report
// is stored exactly once, duplicates get the original receipt.
func TestPutConcurrentGroupCommit(t *testing.T) {
	s := newTestStore(t)
	reports, _ := seedReports(t, 40, 400, 1)
	var wg sync.WaitGroup
	seqs := make([][]uint64, len(reports))
	var mu sync.Mutex
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, r := range reports {
				res, err := s.Put(submission(r, ""))
				if err != nil || (res.Outcome != Created && res.Outcome != Existing) {
					t.Errorf("put %d: %v %+v", i, err, res)
					return
				}
				mu.Lock()
				seqs[i] = append(seqs[i], res.Record.Seq)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for i, got := range seqs {
		for _, seq := range got {
			if seq != got[0] {
				t.Fatalf("report %d got receipts %v", i, got)
			}
		}
	}
	if last, _ := s.LastSeq(); last != uint64(len(reports)) {
		t.Errorf("last seq %d for %d distinct reports", last, len(reports))
	}
	all, _ := s.ReportsAfter(0, 0)
	page, _ := s.ReportsAfter(5, 3)
	if len(all) != len(reports) || len(page) != 3 || page[0].Seq != 6 {
		t.Errorf("listing: %d of %d, page %+v", len(all), len(reports), page)
	}
}

func TestCheckFindsTampering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	reports, _ := seedReports(t, 10, 50, 1)
	for _, r := range reports[:3] {
		mustPut(t, s, submission(r, ""), Created)
	}
	if _, _, err := s.PutEvidence([]byte("照片")); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Check(); err != nil || len(p) > 0 {
		t.Fatalf("clean store: %v %v", p, err)
	}
	id := []byte(reports[0].Doc.ID)
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		body := bytes.Clone(tx.Bucket(bucketBodies).Get(id))
		body[len(body)/2] ^= 1
		if err := tx.Bucket(bucketBodies).Put(id, body); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSequence).Delete(boltkit.Itob(2)); err != nil {
			return err
		}
		return tx.Bucket(bucketEvidence).ForEach(func(k, _ []byte) error {
			return tx.Bucket(bucketEvidence).Put(k, []byte("改过"))
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	s.Close()
	if err != nil || len(problems) != 4 {
		t.Fatalf("want 4 problems (body, record not indexed, index count, evidence), got %d: %q %v", len(problems), problems, err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	laptop := filepath.Join(dir, "laptop.db")
	db, err := storage.Open(laptop, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(laptop, Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("laptop database opened as server database: %v", err)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, bytes.Repeat([]byte("x"), 8192), 0o600)
	if _, err := Open(junk, Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("junk file: %v", err)
	}
	path := filepath.Join(dir, "server.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v", err)
	}
	s.Close()
	if _, err := s.Put(Submission{}); !errors.Is(err, ErrClosed) {
		t.Errorf("put after close: %v", err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	if p, err := ro.Check(); err != nil || len(p) > 0 {
		t.Errorf("read-only check: %v %v", p, err)
	}
	ro.Close()
	if _, err := Open(filepath.Join(dir, "missing.db"), Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing file succeeded")
	}
}

func TestEvidence(t *testing.T) {
	s := newTestStore(t)
	sha, created, err := s.PutEvidence([]byte("营业执照扫描件"))
	if err != nil || !created || len(sha) != 64 {
		t.Fatalf("%s %v %v", sha, created, err)
	}
	if _, created, _ := s.PutEvidence([]byte("营业执照扫描件")); created {
		t.Error("same content stored twice")
	}
	got, err := s.Evidence(sha)
	if ok, _ := s.HasEvidence(sha); !ok || err != nil || string(got) != "营业执照扫描件" {
		t.Errorf("evidence %q %v", got, err)
	}
	if _, err := s.Evidence("00"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing evidence: %v", err)
	}
}

// A file or directory that cannot be written is ErrNoAccess, which the
// command line reports as bad input (exit 2), like the laptop's store.
func TestOpenNoAccess(t *testing.T) {
	if err := openError("/x/server.db", &fs.PathError{Op: "open", Path: "/x/server.db", Err: fs.ErrPermission}); !errors.Is(err, ErrNoAccess) {
		t.Errorf("permission denied: %v", err)
	}
	if os.Geteuid() == 0 {
		return // root writes anywhere
	}
	ro := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(ro, 0o555)
	if _, err := Open(filepath.Join(ro, "server.db"), Options{}); !errors.Is(err, ErrNoAccess) {
		t.Errorf("read-only directory: %v", err)
	}
}
