// Package model is the pure domain of digilevel: answers, scoring, the level
// rules, their explanation, the gap to a target level, derived answers, the
// enterprise file (一企一档), the assessment lifecycle and the district reward
// policy.
//
// It imports only the catalog package and the standard library, does no I/O
// beyond its embedded policy data, and never reads the clock: callers pass
// times in. Every function is deterministic, so the same answers always give
// the same score, level, explanation and plan.
//
// Scores are [indicators.Points] (integer milli-points); money and form
// numbers are [Decimal] (exact decimal text, computed with math/big).
package model
