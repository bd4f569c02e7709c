package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"digilevel/storage"
	"digilevel/storage/pgstore/pgtest"
	"digilevel/sync/client"
)

// TestMain doubles as the crash child: started by TestKillClientMidUpload
// as a copy of this test binary, it sends a laptop's outbox until it is
// empty (or it is killed).
func TestMain(m *testing.M) {
	if path := os.Getenv("DIGILEVEL_SYNC_CHILD_DB"); path != "" {
		os.Exit(syncChild(path, os.Getenv("DIGILEVEL_SYNC_CHILD_URL"), os.Getenv("DIGILEVEL_SYNC_CHILD_TOKEN")))
	}
	os.Exit(pgtest.Main(m))
}

func syncChild(path, url, token string) int {
	db, err := storage.Open(path, storage.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	c, err := client.New(db, client.Options{Server: url, Token: token, Timeout: 2 * time.Second, Workers: 2})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("start")
	for {
		res, err := c.SendPending(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if res.Paused {
			fmt.Fprintln(os.Stderr, "paused:", res.PauseReason)
			return 1
		}
		if res.Done() {
			fmt.Println("done")
			return 0
		}
	}
}
