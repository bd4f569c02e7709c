package indicators

import "testing"

// The edges of ParsePoints: spaces around, a digit check on both sides of
// the point (a sign or a letter inside is refused, not skipped by
// ParseInt), and the range up to 2^40 whole points.
func TestParsePointsEdges(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Points
		ok   bool
	}{
		{" 1.5 ", 1500, true},
		{"\t40\n", 40000, true},
		{"1099511627776", 1099511627776 * PointsScale, true}, // 2^40
		{"1099511627777", 0, false},
		{"1.+5", 0, false},
		{"1.-5", 0, false},
		{"1.5a", 0, false},
		{"a1", 0, false},
		{"1.:5", 0, false},
		{"1./", 0, false},
		{"/1", 0, false},
		{":1", 0, false},
	} {
		got, err := ParsePoints(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParsePoints(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
