package server_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/platform"
	"digilevel/sync/bundle"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// The documented order (sync/openapi.yaml): the report's provider is
// checked before its content, so another provider's token learns nothing
// about a report it may not upload, broken or not: 403 provider_mismatch
// comes before every 422, and nothing is stored. A token of the report's
// own provider gets the 422 for the same body.
func TestProviderMismatchBeforeContentErrors(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	own := env.Token(t, provider, platform.RoleProvider)
	other := env.Token(t, "别的服务商", platform.RoleProvider)
	l := newLaptop(t, 1)
	a, b := l.bodies[l.a], l.bodies[l.b]

	tampered := bytes.Replace(b, []byte("测试企业 1"), []byte("测试企业 9"), 1)
	unknownCatalog := resign(t, b, func(d *model.ReportDocument) { d.Catalog.Hash = strings.Repeat("0", 64) })
	noCode := resign(t, b, func(d *model.ReportDocument) { d.Enterprise.Code = "" })
	draft, unsignedDraft := drafts(t, l)
	cases := []struct {
		name     string
		id       string
		body     []byte
		hash     string
		ownCode  string // what the report's own provider is told
		ownState int
	}{
		{"forged signature", l.b, tampered, sha(tampered), protocol.CodeInvalidReport, 422},
		{"unknown catalog", l.b, unknownCatalog, sha(unknownCatalog), protocol.CodeUnknownCatalog, 422},
		{"signed draft", l.b, draft, sha(draft), protocol.CodeDraft, 422},
		{"unsigned draft", l.b, unsignedDraft, sha(unsignedDraft), protocol.CodeDraft, 422},
		{"altered body", l.b, b, sha(a), protocol.CodeAlteredBody, 422},
		{"ID mismatch", l.a, b, sha(b), protocol.CodeIDMismatch, 422},
		{"no credit code", l.b, noCode, sha(noCode), protocol.CodeInvalidReport, 422},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, data := fixture.Put(t, env.URL, other, c.id, c.body, c.hash, protocol.IdempotencyKey(c.id, c.hash))
			e := errBody(t, data)
			if status != 403 || e.Code != protocol.CodeProviderMismatch || !strings.Contains(e.Message, provider) {
				t.Errorf("another provider's token: %d %+v; want 403 %s before any 422", status, e, protocol.CodeProviderMismatch)
			}
			if strings.Contains(e.Message, "签名") || strings.Contains(e.Message, "草稿") || strings.Contains(e.Message, "目录") {
				t.Errorf("the refusal of another provider tells about the content: %q", e.Message)
			}
			status, data = fixture.Put(t, env.URL, own, c.id, c.body, c.hash, protocol.IdempotencyKey(c.id, c.hash))
			if e := errBody(t, data); status != c.ownState || e.Code != c.ownCode {
				t.Errorf("own provider's token: %d %+v; want %d %s", status, e, c.ownState, c.ownCode)
			}
		})
	}
	if last, _ := env.Store.LastSeq(); last != 0 {
		t.Errorf("refused uploads stored %d reports", last)
	}
}

// drafts are report b as a draft: signed (by a stray key) and unsigned,
// as a laptop holds it.
func drafts(t *testing.T, l laptop) (signed, unsigned []byte) {
	t.Helper()
	draftDoc, err := l.db.Report(l.b)
	if err != nil {
		t.Fatal(err)
	}
	draftDoc.Document.Draft = true
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	signed, _ = model.SignReport(draftDoc.Document, key)
	draftDoc.Document.Signature = nil
	unsigned, err = draftDoc.Document.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	return signed, unsigned
}

// A report signed correctly whose level or score is not what its answers
// give (a laptop with a changed scorer) is refused by rescoring.
func TestRescoringRefusesWrongResult(t *testing.T) {
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
	tok := env.Token(t, provider, platform.RoleProvider)
	l := newLaptop(t, 1)
	b := l.bodies[l.b]
	for name, change := range map[string]func(*model.ReportDocument){
		"level": func(d *model.ReportDocument) { d.Result.Level++ },
		"score": func(d *model.ReportDocument) { d.Result.Score += d.Result.Score/2 + 1 },
	} {
		t.Run(name, func(t *testing.T) {
			body := resign(t, b, change)
			status, data := fixture.Put(t, env.URL, tok, l.b, body, sha(body), protocol.IdempotencyKey(l.b, sha(body)))
			if e := errBody(t, data); status != 422 || e.Code != protocol.CodeInvalidReport {
				t.Errorf("%s changed: %d %+v; want 422 %s", name, status, e, protocol.CodeInvalidReport)
			}
		})
	}
	if last, _ := env.Store.LastSeq(); last != 0 {
		t.Errorf("%d reports stored", last)
	}
}

// A bundle handed in for a provider is taken only when its reports are
// signed with a key bound to one of the provider's active tokens (any
// valid signature while none is bound).
func TestImportChecksTheBoundKeys(t *testing.T) {
	l := newLaptop(t, 1)
	a := l.bodies[l.a]
	var buf bytes.Buffer
	w := bundle.NewWriter(&buf, "LAPTOP-1", "", time.Now())
	if err := w.AddReport(a, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	key := mustDoc(t, a).Signature.PublicKey
	for _, c := range []struct {
		name  string
		bound string // the key bound to the provider's token; "" none
		want  string // "" accepted, else the refusal's code
	}{
		{"no key bound yet", "", ""},
		{"the laptop's key bound", key, ""},
		{"another key bound", "b3RoZXIga2V5", protocol.CodeKeyMismatch},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{})
			tok := env.Token(t, provider, platform.RoleProvider)
			if c.bound != "" {
				if _, err := env.Store.RebindToken(fixture.TokenID(tok), c.bound, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			rf, err := env.Server.Import(b, provider, platform.RoleProvider)
			switch {
			case err != nil:
				t.Fatal(err)
			case c.want == "" && (len(rf.Receipts) != 1 || len(rf.Rejected) != 0):
				t.Errorf("want accepted: %+v", rf)
			case c.want != "" && (len(rf.Receipts) != 0 || len(rf.Rejected) != 1 || rf.Rejected[0].Code != c.want || rf.Rejected[0].Status != 403):
				t.Errorf("want refused 403 %s: %+v", c.want, rf)
			}
		})
	}
}
