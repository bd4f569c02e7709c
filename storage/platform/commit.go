package platform

import (
	"fmt"
	"sync"
)

// PutRequest is one Put waiting for a GroupCommitter. The engine's commit
// function sets Result; Err is set by the committer.
type PutRequest struct {
	Sub    Submission
	Result Result
	Err    error
	done   chan struct{}
}

// GroupCommitter is the group commit both engines use for Put: one
// goroutine takes a Put, gathers every other Put waiting at that moment (up
// to a bound), and hands them to the engine's commit function, which
// decides and stores them in one transaction. It adds no delay: a Put that
// arrives alone is committed alone. Concurrent uploads so share one
// transaction and one flush, and each still returns only after its own
// commit.
type GroupCommitter struct {
	commit    func([]*PutRequest) error
	max       int
	puts      chan *PutRequest // unbuffered: a send succeeds only while the loop listens
	closing   chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
}

// NewGroupCommitter starts a committer. commit must return business
// outcomes in each request's Result, never as an error: an error is a
// storage failure, after which the group is rolled back and each Put is
// retried alone, so each gets its own outcome or error.
func NewGroupCommitter(max int, commit func([]*PutRequest) error) *GroupCommitter {
	g := &GroupCommitter{commit: commit, max: max, puts: make(chan *PutRequest),
		closing: make(chan struct{}), stopped: make(chan struct{})}
	go g.loop()
	return g
}

// Put waits for the submission's commit; after Close it returns ErrClosed.
func (g *GroupCommitter) Put(sub Submission) (Result, error) {
	r := &PutRequest{Sub: sub, done: make(chan struct{})}
	select {
	case g.puts <- r:
	case <-g.closing:
		return Result{}, ErrClosed
	}
	<-r.done
	return r.Result, r.Err
}

// Closing is closed once Close was called.
func (g *GroupCommitter) Closing() <-chan struct{} { return g.closing }

// Close waits for the group in progress; later Puts fail with ErrClosed.
func (g *GroupCommitter) Close() {
	g.closeOnce.Do(func() {
		close(g.closing)
		<-g.stopped
	})
}

func (g *GroupCommitter) loop() {
	defer close(g.stopped)
	for {
		var first *PutRequest
		select {
		case first = <-g.puts:
		case <-g.closing:
			return
		}
		group := []*PutRequest{first}
	gather:
		for len(group) < g.max {
			select {
			case r := <-g.puts:
				group = append(group, r)
			default:
				break gather
			}
		}
		g.run(group)
	}
}

func (g *GroupCommitter) run(group []*PutRequest) {
	err := g.commit(group)
	if err != nil && len(group) > 1 {
		for _, r := range group {
			r.Err = g.commit([]*PutRequest{r})
		}
	} else {
		for _, r := range group {
			r.Err = err
		}
	}
	for _, r := range group {
		if r.Err != nil {
			r.Result = Result{}
			r.Err = fmt.Errorf("store report %s: %w", r.Sub.Record.ID, r.Err)
		}
		close(r.done)
	}
}
