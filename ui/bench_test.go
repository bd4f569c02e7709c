package ui

import "testing"

// benchScreen opens the demo assessment at 120x40 and goes to a screen.
func benchScreen(b *testing.B, keys ...string) Model {
	fx := newFixture(b, false)
	h := newHarness(b, testDeps(fx.db), 120, 40)
	h.keys(keys...)
	return h.m
}

// BenchmarkWalkView draws Q02 (description, numbers, derivation). Goal: < 1 ms.
func BenchmarkWalkView(b *testing.B) {
	m := benchScreen(b, "enter", "t", "up", "up", "up", "up", "up", "up", "up", "up", "enter")
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkReviewView draws the review; scoring happens before, not in View. Goal: < 1 ms.
func BenchmarkReviewView(b *testing.B) {
	m := benchScreen(b, "enter", "r")
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkScenariosView draws SC12 side by side.
func BenchmarkScenariosView(b *testing.B) {
	m := benchScreen(b, "enter", "s")
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}
