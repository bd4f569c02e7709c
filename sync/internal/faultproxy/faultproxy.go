// Package faultproxy is an HTTP proxy for tests that breaks requests on
// purpose, between a sync client and a real server on loopback: errors
// before the server sees the request, errors and dropped connections after
// the server committed it, answers held past the client's timeout, uploads
// cut in the middle.
package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Fault is what the proxy does to one request.
type Fault int

// Faults.
const (
	// Pass forwards the request and the answer unchanged.
	Pass Fault = iota
	// Fail500 answers 500 without forwarding.
	Fail500
	// Fail502After forwards (the server commits), then answers 502.
	Fail502After
	// DropAfter forwards (the server commits), then closes the client's
	// connection without an answer.
	DropAfter
	// SlowAfter forwards (the server commits), then holds the answer for
	// Options.Slow, past the client's timeout.
	SlowAfter
	// CutUpload reads half the body, then closes the client's connection;
	// the server never sees the request.
	CutUpload
	numFaults
)

// String names a fault in test logs.
func (f Fault) String() string {
	return [...]string{"pass", "500", "502-after-commit", "drop-after-commit", "slow-after-commit", "cut-upload"}[f]
}

// Options configure a proxy.
type Options struct {
	// Percent gives each fault's share of requests; the rest pass.
	Percent map[Fault]int
	// Seed makes the choice of faults repeatable.
	Seed int64
	// Slow is how long SlowAfter holds an answer.
	Slow time.Duration
	// Alternates are more targets: requests go to the target and each
	// alternate in turn, as a client switching between servers would.
	Alternates []string
}

// Proxy forwards to one target.
type Proxy struct {
	targets  []string
	next     atomic.Int64
	opts     Options
	upstream *http.Client
	srv      *http.Server
	ln       net.Listener

	mu     sync.Mutex
	rng    *rand.Rand
	counts [numFaults]atomic.Int64
}

// Start listens on 127.0.0.1 and forwards to target (a base URL).
func Start(target string, o Options) (*Proxy, error) {
	total := 0
	for _, p := range o.Percent {
		total += p
	}
	if total > 100 {
		return nil, fmt.Errorf("fault percentages add up to %d", total)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{targets: append([]string{target}, o.Alternates...), opts: o, ln: ln, rng: rand.New(rand.NewSource(o.Seed)),
		upstream: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go p.srv.Serve(ln)
	return p, nil
}

// URL is the proxy's base URL.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Count is how often a fault was chosen.
func (p *Proxy) Count(f Fault) int64 { return p.counts[f].Load() }

// Counts describes every fault's count.
func (p *Proxy) Counts() string {
	var b bytes.Buffer
	for f := Pass; f < numFaults; f++ {
		fmt.Fprintf(&b, "%s=%d ", f, p.Count(f))
	}
	return b.String()
}

// Close stops the proxy and cuts its connections.
func (p *Proxy) Close() error {
	p.upstream.CloseIdleConnections()
	return p.srv.Close()
}

func (p *Proxy) choose() Fault {
	p.mu.Lock()
	n := p.rng.Intn(100)
	p.mu.Unlock()
	for f := Fail500; f < numFaults; f++ {
		if n < p.opts.Percent[f] {
			return f
		}
		n -= p.opts.Percent[f]
	}
	return Pass
}

// ServeHTTP applies the next fault to one request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := p.choose()
	p.counts[f].Add(1)
	switch f {
	case Fail500:
		io.Copy(io.Discard, r.Body)
		http.Error(w, "injected failure", http.StatusInternalServerError)
		return
	case CutUpload:
		io.CopyN(io.Discard, r.Body, r.ContentLength/2)
		hangUp(w)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		hangUp(w)
		return
	}
	target := p.targets[int(p.next.Add(1)-1)%len(p.targets)]
	req, err := http.NewRequest(r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := p.upstream.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch f {
	case Fail502After:
		http.Error(w, "injected failure after commit", http.StatusBadGateway)
		return
	case DropAfter:
		hangUp(w)
		return
	case SlowAfter:
		select {
		case <-time.After(p.opts.Slow):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
