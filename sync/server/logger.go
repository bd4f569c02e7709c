package server

import (
	"io"
	"log/slog"
	"time"

	"digilevel/report"
)

// NewLogger is the platform's request log: slog text lines whose time is
// RFC 3339 in Beijing time (+08:00), the zone of every time the project
// shows, so log lines and the reports and listings beside them agree.
func NewLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: beijingTime}))
}

// beijingTime writes time attributes (the record's own time included) in
// Beijing time with their offset.
func beijingTime(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindTime {
		return slog.String(a.Key, a.Value.Time().In(report.Zone()).Format(time.RFC3339Nano))
	}
	return a
}

// shownTime is a time in a message for a person: Beijing time, to the
// minute.
func shownTime(t time.Time) string { return t.In(report.Zone()).Format("2006-01-02 15:04") }

// jsonTime is a time for a JSON answer: Beijing time, so that RFC 3339
// carries +08:00 whatever the server machine's zone.
func jsonTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(report.Zone())
}
