package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/pgstore/pgtest"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// BenchmarkSync10k sends 10,000 finalized reports (SeedSynthetic: 50,000
// assessments, a fifth finalized) from one laptop to a server on loopback,
// both stores committing with fsync. The seeded laptop comes from 17
// provider organisations, so the client uses an office token and the
// server runs with AllowOfficeUpload (tests only); validation is otherwise
// the full provider path (signature, canonical form, rescoring, key
// binding). The client runs with its defaults (client.DefaultWorkers enterprises at a time).
// Run it once: go test -run '^$' -bench Sync10k -benchtime 1x ./sync/e2e
func BenchmarkSync10k(b *testing.B) {
	dir := b.TempDir()
	seeded := fixture.SeedLaptopFile(b, dir, 10000, 50000, 21)
	var total time.Duration
	reports := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "laptop.db")
		copyFile(b, seeded, path)
		laptop, err := storage.Open(path, storage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		env := fixture.StartServer(b, b.TempDir(), fixture.EnvOptions{AllowOfficeUpload: true})
		c, err := client.New(laptop, client.Options{Server: env.URL, Token: env.Token(b, "区工信局", serverstore.RoleOffice)})
		if err != nil {
			b.Fatal(err)
		}
		want := fixture.Finalized(b, laptop)
		b.StartTimer()
		start := time.Now()
		for {
			res, err := c.SendPending(context.Background())
			if err != nil || res.Paused {
				b.Fatalf("%+v %v", res, err)
			}
			if res.Done() {
				break
			}
		}
		total += time.Since(start)
		reports += len(want)
		b.StopTimer()
		fixture.RequireExactlyOnce(b, env.Store, want, laptop)
		env.CloseStore()
		laptop.Close()
	}
	b.ReportMetric(float64(reports)/total.Seconds(), "reports/s")
	b.ReportMetric(float64(reports)/float64(b.N), "reports/op")
}

// upload is one report to send with its provider's token.
type upload struct {
	id, org string
	body    []byte
}

// uploadsOf lists a laptop's finalized reports with their providers, in ID
// order.
func uploadsOf(b *testing.B, bodies map[string][]byte) []upload {
	var uploads []upload
	for id, body := range bodies {
		doc, err := model.VerifyReport(body)
		if err != nil {
			b.Fatal(err)
		}
		uploads = append(uploads, upload{id, doc.Assessor.Org, body})
	}
	sort.Slice(uploads, func(i, j int) bool { return uploads[i].id < uploads[j].id })
	return uploads
}

// providerTokens adds a provider token for every provider of the uploads.
func providerTokens(b *testing.B, env *fixture.Env, uploads []upload) map[string]string {
	tokens := map[string]string{}
	for _, u := range uploads {
		if tokens[u.org] == "" {
			tokens[u.org] = env.Token(b, u.org, serverstore.RoleProvider)
		}
	}
	return tokens
}

// uploadConcurrently has clients goroutines (one connection each; client i
// talks to urls[i % len(urls)]) upload every report once and returns each
// upload's latency as the client saw it and the wall time.
func uploadConcurrently(b *testing.B, clients int, urls []string, tokens map[string]string, uploads []upload) ([]time.Duration, time.Duration) {
	work := make(chan upload, len(uploads))
	for _, u := range uploads {
		work <- u
	}
	close(work)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var all []time.Duration
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Transport: &http.Transport{}, Timeout: time.Minute}
			var mine []time.Duration
			for u := range work {
				t0 := time.Now()
				status := put(b, hc, urls[i%len(urls)], tokens[u.org], u.id, u.body)
				mine = append(mine, time.Since(t0))
				if status != http.StatusCreated {
					b.Errorf("upload %s: %d", u.id, status)
				}
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, time.Since(start)
}

// reportLatency reports p50, p99 and throughput.
func reportLatency(b *testing.B, all []time.Duration, elapsed time.Duration) {
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
	b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "reports/s")
}

// BenchmarkServerLatency50 has 50 clients (one connection each) upload
// 2,500 reports at once, each with its provider's token, and reports the
// latency of an upload as the clients see it (p50, p99) and the server's
// throughput. Both ends are in this process; the server store fsyncs.
func BenchmarkServerLatency50(b *testing.B) {
	dir := b.TempDir()
	laptop := fixture.SeedLaptop(b, dir, 2500, 12500, 22)
	bodies := fixture.Finalized(b, laptop)
	uploads := uploadsOf(b, bodies)
	var all []time.Duration
	var elapsed time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		env := fixture.StartServer(b, b.TempDir(), fixture.EnvOptions{})
		tokens := providerTokens(b, env, uploads)
		b.StartTimer()
		lat, el := uploadConcurrently(b, 50, []string{env.URL}, tokens, uploads)
		b.StopTimer()
		all, elapsed = append(all, lat...), elapsed+el
		fixture.RequireExactlyOnce(b, env.Store, bodies)
		env.CloseStore()
	}
	reportLatency(b, all, elapsed)
}

// BenchmarkPlatform10k sends 10,000 reports with 50 concurrent clients
// (each upload with its provider's token) to the platform on bbolt (one
// server), on PostgreSQL with one server and on PostgreSQL with two servers
// sharing the database (clients split between them), in one run, and
// reports p50/p99 latency and throughput of each. The servers run in this
// process, each with its own store (pool, committer), as a serve process
// has; both engines fsync every commit (PostgreSQL: fsync and
// synchronous_commit on, the pgtest server on a unix socket).
// Run it once: go test -run '^$' -bench Platform10k -benchtime 1x ./sync/e2e
func BenchmarkPlatform10k(b *testing.B) {
	if err := pgtest.Available(); err != nil {
		b.Skipf("no PostgreSQL: %v", err)
	}
	laptop := fixture.SeedLaptop(b, b.TempDir(), 10000, 50000, 23)
	bodies := fixture.Finalized(b, laptop)
	uploads := uploadsOf(b, bodies)
	for _, c := range []struct {
		name    string
		servers int
		pg      bool
	}{{"bbolt-1", 1, false}, {"postgres-1", 1, true}, {"postgres-2", 2, true}} {
		b.Run(c.name, func(b *testing.B) {
			var all []time.Duration
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				o := fixture.EnvOptions{}
				if c.pg {
					o.DSN = pgtest.DSN(b)
				}
				var envs []*fixture.Env
				var urls []string
				for range c.servers {
					env := fixture.StartServer(b, b.TempDir(), o)
					envs, urls = append(envs, env), append(urls, env.URL)
				}
				tokens := providerTokens(b, envs[0], uploads)
				b.StartTimer()
				lat, el := uploadConcurrently(b, 50, urls, tokens, uploads)
				b.StopTimer()
				all, elapsed = append(all, lat...), elapsed+el
				fixture.RequireExactlyOnce(b, envs[0].Store, bodies)
				for _, env := range envs {
					env.CloseStore()
				}
			}
			reportLatency(b, all, elapsed)
		})
	}
}

func put(b *testing.B, hc *http.Client, url, token, id string, body []byte) int {
	sha := model.HashReport(body)
	req, _ := http.NewRequest(http.MethodPut, protocol.ReportURL(url, id), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(protocol.HeaderSHA256, sha)
	req.Header.Set(protocol.HeaderIdempotencyKey, protocol.IdempotencyKey(id, sha))
	resp, err := hc.Do(req)
	if err != nil {
		b.Error(err)
		return 0
	}
	defer resp.Body.Close()
	var r protocol.Receipt
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.SHA256 != sha {
		b.Errorf("receipt of %s: %v", id, err)
	}
	return resp.StatusCode
}

func copyFile(b *testing.B, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
