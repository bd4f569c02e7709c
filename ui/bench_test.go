package ui

import (
	"testing"

	"digilevel/model"
)

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

// BenchmarkListsView draws the 问题清单 with the selected item's detail.
func BenchmarkListsView(b *testing.B) {
	m := benchScreen(b, "enter", "r", "l")
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkPlanView draws a complete retrofit plan.
func BenchmarkPlanView(b *testing.B) {
	fx := newFixture(b, false)
	withPlan(b, fx)
	h := newHarness(b, testDeps(fx.db), 120, 40)
	h.keys("enter", "r", "p")
	m := h.m
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkDiagnosisLoad is what the review, lists and plan screens wait
// for when they open (a command, never in View): the store's diagnosis of
// the demo draft, two priced paths with alternatives and both lists.
// BenchmarkScoreOnly is the same draft scored, the old review's main cost,
// measured in the same run as the baseline.
func BenchmarkDiagnosisLoad(b *testing.B) {
	fx := newFixture(b, false)
	b.ResetTimer()
	for b.Loop() {
		if _, err := fx.db.Diagnosis(fx.demo); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreOnly(b *testing.B) {
	fx := newFixture(b, false)
	a, err := fx.db.Assessment(fx.demo)
	if err != nil {
		b.Fatal(err)
	}
	cat, err := fx.db.Catalog(a.CatalogHash)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := model.Score(cat, a.Answers); err != nil {
			b.Fatal(err)
		}
	}
}
