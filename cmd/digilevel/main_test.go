package main

import (
	"os"
	"testing"
)

// TestMain lets a test run the real binary: with DIGILEVEL_TEST_MAIN=1 this
// test binary is digilevel (signals, exit codes and all).
func TestMain(m *testing.M) {
	if os.Getenv("DIGILEVEL_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
