package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage/serverstore"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// evidenceExchanges drives the evidence and whoami routes through every
// status sync/openapi.yaml documents for them (the conformance test adds
// them to the report routes' exchanges).
func evidenceExchanges(t *testing.T) []exchange {
	t.Helper()
	env := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true})
	tok := env.Token(t, provider, serverstore.RoleProvider)
	inspector := env.Token(t, "区抽查组", serverstore.RoleInspector)
	office := env.Token(t, "区工信局", serverstore.RoleOffice)
	photo := []byte("现场照片")
	file := protocol.EvidencePath + "/" + sha(photo)
	octet := map[string]string{"Content-Type": protocol.EvidenceContentType}
	put := func(name, path, token string, body []byte, want int, valid bool) apiCase {
		return apiCase{name: name, method: http.MethodPut, path: path, token: token, body: body, header: octet, want: want, validRequest: valid}
	}
	head := func(name, path, token string, want int, valid bool) apiCase {
		return apiCase{name: name, method: http.MethodHead, path: path, token: token, want: want, validRequest: valid}
	}
	get := func(name, path, token string, want int, valid bool) apiCase {
		return apiCase{name: name, method: http.MethodGet, path: path, token: token, want: want, validRequest: valid}
	}
	big := bytes.Repeat([]byte("x"), model.MaxEvidenceSize+1)
	cases := []apiCase{
		head("evidence not there yet", file, tok, 404, true),
		put("upload evidence", file, tok, photo, 201, true),
		put("upload evidence again", file, tok, photo, 200, true),
		head("evidence there", file, tok, 200, true),
		head("evidence: bad hash", protocol.EvidencePath+"/abc", tok, 400, true),
		head("evidence: no token", file, "", 401, false),
		put("evidence: bad hash", protocol.EvidencePath+"/ABC", tok, photo, 400, true),
		put("evidence: no token", file, "", photo, 401, false),
		put("evidence: office may not upload", file, office, photo, 403, true),
		put("evidence: an inspector uploads (a spot-check's)", file, inspector, photo, 200, true),
		put("evidence: content not its hash", protocol.EvidencePath+"/"+strings.Repeat("0", 64), tok, photo, 422, true),
		put("evidence: too large", protocol.EvidencePath+"/"+sha(big), tok, big, 413, true),
		get("read evidence", file, inspector, 200, true),
		get("evidence: provider may not read", file, tok, 403, true),
		get("evidence: unknown", protocol.EvidencePath+"/"+strings.Repeat("1", 64), inspector, 404, true),
		get("evidence: read with a bad hash", protocol.EvidencePath+"/x", inspector, 400, true),
		get("evidence: read without token", file, "", 401, false),
		{name: "DELETE on evidence", method: http.MethodDelete, path: file, token: tok, want: 405},
		{name: "POST on whoami", method: http.MethodPost, path: protocol.WhoamiPath, token: tok, want: 405},
	}
	who := withHead([]apiCase{
		get("whoami", protocol.WhoamiPath, tok, 200, true),
		get("whoami without token", protocol.WhoamiPath, "", 401, false),
	})
	var out []exchange
	for _, c := range append(cases, who...) {
		out = append(out, send(t, env.URL, c))
	}

	broken := fixture.StartServer(t, t.TempDir(), fixture.EnvOptions{NoSync: true, ShutdownTimeout: 2 * time.Second})
	secret := broken.Token(t, "区工信局", serverstore.RoleOffice)
	broken.BreakStore()
	for _, c := range append([]apiCase{
		head("store failure on has-evidence", file, secret, 500, true),
		put("store failure on evidence upload", file, secret, photo, 500, true),
		get("store failure on evidence read", file, secret, 500, true),
	}, withHead([]apiCase{get("store failure on whoami", protocol.WhoamiPath, secret, 500, true)})...) {
		out = append(out, send(t, broken.URL, c))
	}
	return out
}
