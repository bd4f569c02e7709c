package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"sort"
	"strings"
	"time"

	"digilevel/storage"
)

// WatchOptions configure Watch.
type WatchOptions struct {
	// MinBackoff is the first wait after a pass that left work (default 2 s);
	// it doubles after every pass without progress, up to MaxBackoff
	// (default 5 min). Each wait is drawn uniformly from [b/2, b].
	MinBackoff, MaxBackoff time.Duration
	// NetPoll is how often the network is looked at while waiting
	// (default 3 s); NetState describes it (default: the addresses of the
	// interfaces that are up). A change ends the wait at once: the network
	// has probably come back.
	NetPoll  time.Duration
	NetState func() string
	// Wake, when it receives, ends a wait (e.g. the TUI after a finalize).
	Wake <-chan struct{}
	// OnPass is called after every pass (progress display).
	OnPass func(Result)
	// OnLocked is called when a pass could not start because another
	// process holds the database (a client from NewReopening); Watch waits
	// as after a pass without progress and tries again.
	OnLocked func(error)
}

// Watch runs passes until nothing is left to send, waiting between them
// with exponential backoff and jitter. It returns the last pass's result
// (rejected reports stay behind for a person), or ctx's error, or a local
// store error.
func (c *Client) Watch(ctx context.Context, o WatchOptions) (Result, error) {
	if o.MinBackoff <= 0 {
		o.MinBackoff = 2 * time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(5*time.Minute, o.MinBackoff)
	}
	if o.NetPoll <= 0 {
		o.NetPoll = 3 * time.Second
	}
	if o.NetState == nil {
		o.NetState = NetState
	}
	backoff := o.MinBackoff
	var last Result
	for {
		res, err := c.SendPending(ctx)
		switch {
		case errors.Is(err, storage.ErrLocked):
			if o.OnLocked != nil {
				o.OnLocked(err)
			}
			res = Result{RetryAfter: last.RetryAfter}
		case err != nil:
			return res, err
		default:
			last = res
			if o.OnPass != nil {
				o.OnPass(res)
			}
			if res.Done() {
				return res, nil
			}
			if res.Sent+res.Existing+res.Rejected+res.Held > 0 && !res.Paused {
				backoff = o.MinBackoff
			}
		}
		wait := jitter(backoff)
		if res.RetryAfter > wait {
			wait = res.RetryAfter
		}
		woke, err := sleep(ctx, wait, o)
		if err != nil {
			return last, err
		}
		if woke {
			backoff = o.MinBackoff
		} else {
			backoff = min(2*backoff, o.MaxBackoff)
		}
	}
}

// jitter draws a wait uniformly from [d/2, d] so that many laptops coming
// back online at once do not retry in step.
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}

// sleep waits d, or less if the network changes or Wake receives (woke is
// then true).
func sleep(ctx context.Context, d time.Duration, o WatchOptions) (woke bool, err error) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	poll := time.NewTicker(o.NetPoll)
	defer poll.Stop()
	before := o.NetState()
	for {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-timer.C:
			return false, nil
		case <-o.Wake:
			return true, nil
		case <-poll.C:
			if o.NetState() != before {
				return true, nil
			}
		}
	}
}

// NetState describes the machine's network: the addresses of every
// interface that is up, except loopback. Joining a Wi-Fi network or
// plugging a cable changes it.
func NetState() string {
	ifaces, err := net.Interfaces()
	if err != nil {
		return ""
	}
	var parts []string
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			parts = append(parts, ifc.Name+"="+a.String())
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}
