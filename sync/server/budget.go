package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"digilevel/sync/protocol"
)

// Defaults of the in-flight body budget (Options.MaxBodyMemory,
// Options.BodyMemoryWait).
const (
	DefaultMaxBodyMemory  = 64 << 20 // 32 full-size reports at once
	DefaultBodyMemoryWait = 5 * time.Second
)

// bodyBudget bounds the bytes of upload bodies held in memory at once, over
// all connections: an upload reserves its size (the declared length, or the
// 2 MiB limit when it declares none) before its body is read and releases
// it when its answer is written. Without it, a thousand concurrent 2 MiB
// uploads held 2-3 GB.
type bodyBudget struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	changed chan struct{} // closed and replaced at every release
}

func newBodyBudget(limit int64) *bodyBudget {
	return &bodyBudget{limit: limit, changed: make(chan struct{})}
}

// acquire reserves n bytes, waiting up to wait for other uploads to finish;
// it reports whether it got them.
func (b *bodyBudget) acquire(ctx context.Context, n int64, wait time.Duration) bool {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		b.mu.Lock()
		if b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return true
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (b *bodyBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

func (b *bodyBudget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// readBody reads an upload's body within the budget: it reserves the
// body's size first (refusing with 503 and a log line when the budget stays
// full), reads into a buffer of exactly that size, and returns the release
// to call once the body is no longer needed.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, func(), *protocol.Error) {
	n := int64(protocol.MaxBodySize)
	if r.ContentLength >= 0 && r.ContentLength < n {
		n = r.ContentLength
	}
	if !s.bodies.acquire(r.Context(), n, s.bodyWait) {
		s.log.Warn("upload refused: body memory budget full", "path", r.URL.Path, "bytes", n,
			"in_use", s.bodies.inUse(), "limit", s.bodies.limit, "remote", r.RemoteAddr)
		w.Header().Set("Retry-After", strconv.Itoa(int(max(1, s.bodyWait/time.Second))))
		return nil, nil, perr(http.StatusServiceUnavailable, protocol.CodeUnavailable, "服务器正在接收的报告过多，请稍后重试")
	}
	release := func() { s.bodies.release(n) }
	var buf bytes.Buffer
	buf.Grow(int(n) + 1) // +1: a body longer than declared is read to its end and refused below
	_, err := io.Copy(&buf, http.MaxBytesReader(w, r.Body, protocol.MaxBodySize))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		release()
		return nil, nil, tooLarge()
	case err != nil && stopping(r):
		release()
		w.Header().Set("Connection", "close")
		return nil, nil, perr(http.StatusServiceUnavailable, protocol.CodeUnavailable, "平台服务正在停止，报告未接收，请稍后重新发送")
	case err != nil:
		release()
		return nil, nil, perr(http.StatusBadRequest, protocol.CodeBadRequest, "读取请求正文失败: %v", err)
	}
	return buf.Bytes(), release, nil
}
