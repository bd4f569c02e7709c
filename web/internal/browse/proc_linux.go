package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the browser end when this program ends, however it
// ends (killed, or its output closed), so no browser is left running.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
