//go:build race

package e2e

// raceEnabled: the race detector slows this package five to ten times; see
// size.
const raceEnabled = true
