package storage

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"digilevel/model"
)

// The crash child: started by TestCrashLosesNoAcknowledgedAnswer as a copy
// of this test binary. It writes answers and notes in a loop and prints
// "ack <op>" after each write returned, i.e. after its commit.
func TestMain(m *testing.M) {
	if path := os.Getenv("DIGILEVEL_CRASH_DB"); path != "" {
		os.Exit(crashChild(path, os.Getenv("DIGILEVEL_CRASH_ID"), os.Getenv("DIGILEVEL_CRASH_START")))
	}
	if path := os.Getenv("DIGILEVEL_FSYNC_DB"); path != "" {
		os.Exit(fsyncChild(path, os.Getenv("DIGILEVEL_FSYNC_NOSYNC") == "1"))
	}
	code := m.Run()
	removeSeed()
	os.Exit(code)
}

func crashChild(path, id, start string) int {
	db, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n, _ := strconv.Atoi(start)
	for i := n; ; i++ {
		qid := fmt.Sprintf("Q%02d", 1+i%15)
		var op string
		if i%2 == 0 {
			opt := string(rune('B' + i%2))
			if _, err := db.SaveAnswer(id, qid, []string{opt}, model.Change{Who: "crash"}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			op = "answer:" + qid + ":" + opt
		} else {
			if _, err := db.SaveNote(id, qid, strconv.Itoa(i), model.Change{Who: "crash"}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			op = "note:" + qid + ":" + strconv.Itoa(i)
		}
		// One write(2) per line, so a kill cannot leave half an ack that parses.
		fmt.Fprintf(os.Stdout, "ack %s\n", op)
	}
}

// Kill -9 a writer at random moments, reopen, and require every
// acknowledged write to be in the audit log (in order) and Check to pass.
func TestCrashLosesNoAcknowledgedAnswer(t *testing.T) {
	kills := 50
	if testing.Short() {
		kills = 5
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	code := validCode(t, "91410700MA44RN9B0")
	db.CreateEnterprise(enterprise(code, "崩溃测试企业"), who)
	a, err := db.CreateAssessment(NewAssessment{Enterprise: code, Kind: model.KindBaseline}, who)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	var acked []string
	next := 0
	for k := 0; k < kills; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "DIGILEVEL_CRASH_DB="+path, "DIGILEVEL_CRASH_ID="+a.ID, "DIGILEVEL_CRASH_START="+strconv.Itoa(next))
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var got []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if op, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
					mu.Lock()
					got = append(got, op)
					mu.Unlock()
				}
			}
		}()
		time.Sleep(time.Duration(20+rng.Intn(150)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		cmd.Wait()
		if len(got) == 0 && stderr.Len() > 0 {
			t.Fatalf("child failed: %s", stderr.String())
		}
		acked = append(acked, got...)
		next += len(got) + 2 // the op after the last ack may or may not have committed

		db, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", k, err)
		}
		if p, err := db.Check(); err != nil || len(p) > 0 {
			t.Fatalf("kill %d: check: %v %v", k, err, p)
		}
		log, err := db.AuditLog(a.ID)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, e := range log {
			switch e.Action {
			case model.ActionAnswer, model.ActionNote:
				ops = append(ops, e.Action+":"+e.Item+":"+e.New)
			}
		}
		if missing := notSubsequence(acked, ops); missing != "" {
			t.Fatalf("kill %d: acknowledged write %q is not in the database", k, missing)
		}
	}
	t.Logf("%d kills, %d acknowledged writes, none lost", kills, len(acked))
	if len(acked) < kills {
		t.Errorf("only %d writes acknowledged over %d kills; the test did not exercise the store", len(acked), kills)
	}
}

// notSubsequence returns the first element of want not found, in order, in have.
func notSubsequence(want, have []string) string {
	j := 0
	for _, w := range want {
		for j < len(have) && have[j] != w {
			j++
		}
		if j == len(have) {
			return w
		}
		j++
	}
	return ""
}
