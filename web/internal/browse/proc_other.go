//go:build !linux

package main

import "os/exec"

// dieWithParent: elsewhere the browser is ended by close only.
func dieWithParent(cmd *exec.Cmd) {}
