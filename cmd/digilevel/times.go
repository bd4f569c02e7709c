package main

import (
	"time"

	"digilevel/report"
)

// Every time the commands show is Beijing time (report.Zone), whatever the
// machine's time zone: one policy for the laptop, the platform and the
// reports they print (README, "Times").

// shownMinute formats t for a person, to the minute, in Beijing time.
func shownMinute(t time.Time) string { return t.In(report.Zone()).Format("2006-01-02 15:04") }

// beijingTime formats t for a person, to the second, in Beijing time; ""
// for a zero time.
func beijingTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(report.Zone()).Format("2006-01-02 15:04:05")
}

// inZone is t in Beijing time, for JSON output: RFC 3339 with +08:00.
// A zero time stays zero (omitzero drops it).
func inZone(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(report.Zone())
}
