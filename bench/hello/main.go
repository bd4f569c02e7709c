// Command hello is the baseline of `--help` and `score` in bench/run.sh:
// the smallest Go program that prints a line.
package main

import "fmt"

func main() { fmt.Println("hello, world") }
