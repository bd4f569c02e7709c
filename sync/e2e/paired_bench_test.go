package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"digilevel/model"
	"digilevel/storage"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/internal/fixture"
	"digilevel/sync/protocol"
)

// BenchmarkServerPaired50 puts the platform's receiving server beside its
// baseline, a bare durable receiver, under the same load generator: 50
// clients (one connection each) upload the same 2,500 signed reports.
// The bare receiver reads the body, appends it to a log, waits for a
// group-committed fdatasync that covers its write, and answers 201; it
// is the floor any durable server on this disk can reach. Each round runs
// both, the order alternating, each on a fresh store. It reports the
// throughput and p99 of each and the median ratios of the rounds
// (goal: throughput >= 0.5x, p99 <= 2x).
func BenchmarkServerPaired50(b *testing.B) {
	laptop := fixture.SeedLaptop(b, b.TempDir(), 2500, 12500, 22)
	bodies := fixture.Finalized(b, laptop)
	uploads := uploadsOf(b, bodies)
	var tput, p99 [2][]float64 // [0] bare, [1] digilevel
	b.ResetTimer()
	for r := 0; r < b.N; r++ {
		for k := range 2 {
			which := (r + k) % 2
			b.StopTimer()
			var res loadResult
			if which == 0 {
				res = loadBare(b, uploads)
			} else {
				res = loadServer(b, uploads, bodies)
			}
			b.StartTimer()
			tput[which] = append(tput[which], res.perSecond)
			p99[which] = append(p99[which], res.p99)
		}
	}
	b.StopTimer()
	b.ReportMetric(medianOf(tput[0]), "bare-reports/s")
	b.ReportMetric(medianOf(tput[1]), "server-reports/s")
	b.ReportMetric(medianOf(p99[0]), "bare-p99-ms")
	b.ReportMetric(medianOf(p99[1]), "server-p99-ms")
	b.ReportMetric(medianOf(ratios(tput[1], tput[0])), "tput-ratio")
	b.ReportMetric(medianOf(ratios(p99[1], p99[0])), "p99-ratio")
}

type loadResult struct {
	perSecond float64
	p99       float64 // ms
}

func loadServer(b *testing.B, uploads []upload, bodies map[string][]byte) loadResult {
	env := fixture.StartServer(b, b.TempDir(), fixture.EnvOptions{})
	res := generateLoad(b, env.URL, providerTokens(b, env, uploads), uploads)
	fixture.RequireExactlyOnce(b, env.Store, bodies)
	env.CloseStore()
	return res
}

func loadBare(b *testing.B, uploads []upload) loadResult {
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "bare.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	g := &groupLog{f: f}
	g.cond = sync.NewCond(&g.mu)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, model.MaxReportSize))
		if err == nil {
			err = g.append(body)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(protocol.Receipt{SHA256: r.Header.Get(protocol.HeaderSHA256)})
	})}
	go srv.Serve(ln)
	defer srv.Close()
	tokens := map[string]string{}
	for _, u := range uploads {
		tokens[u.org] = "bare"
	}
	res := generateLoad(b, "http://"+ln.Addr().String(), tokens, uploads)
	if g.synced != uint64(len(uploads)) {
		b.Fatalf("bare receiver synced %d of %d", g.synced, len(uploads))
	}
	return res
}

// groupLog appends records and makes each durable with one fdatasync
// shared by every write that arrived before it started (group commit).
type groupLog struct {
	mu      sync.Mutex
	cond    *sync.Cond
	f       *os.File
	written uint64
	synced  uint64
	syncing bool
}

func (g *groupLog) append(p []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, err := g.f.Write(p); err != nil {
		return err
	}
	g.written++
	mine := g.written
	for g.synced < mine {
		if g.syncing {
			g.cond.Wait()
			continue
		}
		g.syncing = true
		target := g.written
		g.mu.Unlock()
		err := fdatasync(g.f)
		g.mu.Lock()
		g.syncing = false
		if err != nil {
			g.cond.Broadcast()
			return err
		}
		g.synced = target
		g.cond.Broadcast()
	}
	return nil
}

// generateLoad is the one load generator of both sides
// (uploadConcurrently, as BenchmarkServerLatency50 and BenchmarkPlatform10k
// use it): 50 clients, one connection each, every upload once.
func generateLoad(b *testing.B, url string, tokens map[string]string, uploads []upload) loadResult {
	all, elapsed := uploadConcurrently(b, 50, []string{url}, tokens, uploads)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return loadResult{perSecond: float64(len(all)) / elapsed.Seconds(), p99: float64(all[len(all)*99/100].Microseconds()) / 1000}
}

func ratios(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] / b[i]
	}
	return out
}

func medianOf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// BenchmarkSyncWorkers measures the sync client's concurrency: one laptop
// sends the same 2,500 reports (2,500 enterprises) to a fresh loopback
// server with 4, 8 and 16 workers, the order rotating every round, both
// stores fsyncing. It reports each throughput and its median ratio to 4
// workers, the default before it was measured.
func BenchmarkSyncWorkers(b *testing.B) {
	seeded := fixture.SeedLaptopFile(b, b.TempDir(), 2500, 12500, 23)
	workers := []int{4, 8, 16}
	perSecond := make([][]float64, len(workers))
	b.ResetTimer()
	for r := 0; r < b.N; r++ {
		for k := range workers {
			i := (r + k) % len(workers)
			b.StopTimer()
			path := filepath.Join(b.TempDir(), "laptop.db")
			copyFile(b, seeded, path)
			laptop, err := storage.Open(path, storage.Options{})
			if err != nil {
				b.Fatal(err)
			}
			env := fixture.StartServer(b, b.TempDir(), fixture.EnvOptions{AllowOfficeUpload: true})
			c, err := client.New(laptop, client.Options{Server: env.URL, Token: env.Token(b, "区工信局", serverstore.RoleOffice), Workers: workers[i]})
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
			perSecond[i] = append(perSecond[i], float64(len(want))/time.Since(start).Seconds())
			b.StopTimer()
			fixture.RequireExactlyOnce(b, env.Store, want, laptop)
			env.CloseStore()
			laptop.Close()
			b.StartTimer()
		}
	}
	b.StopTimer()
	for i, w := range workers {
		b.ReportMetric(medianOf(perSecond[i]), fmt.Sprintf("w%d-reports/s", w))
		if i > 0 {
			b.ReportMetric(medianOf(ratios(perSecond[i], perSecond[0])), fmt.Sprintf("w%d/w4", w))
		}
	}
}
