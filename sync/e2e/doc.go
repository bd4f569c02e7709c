// Package e2e holds the end-to-end tests and benchmarks of sync: real
// clients and a real server on loopback, through a fault-injecting proxy,
// with client processes killed mid-upload, fifty clients at once, bundles
// carried by hand, and a server stopped while reports arrive. It has no
// code of its own.
package e2e
