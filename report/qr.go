package report

import (
	"fmt"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QRPayload is what the QR code of a finalized report holds: the report ID
// and the SHA-256 of its signed bytes, so anyone with the paper can ask the
// platform whether it holds exactly that report. It names no URL: the
// report never refers to the network.
func QRPayload(id, sha256 string) string {
	return "digilevel-report:" + id + ";sha256:" + sha256
}

// qrMatrix encodes text as QR modules (true = dark), error correction
// level M, with the library's automatic version choice.
func qrMatrix(text string) ([][]bool, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium), qrcode.WithEncodingMode(qrcode.EncModeByte))
	if err != nil {
		return nil, fmt.Errorf("生成二维码: %w", err)
	}
	w := &matrixWriter{}
	if err := q.Save(w); err != nil {
		return nil, fmt.Errorf("生成二维码: %w", err)
	}
	return w.m, nil
}

type matrixWriter struct{ m [][]bool }

func (w *matrixWriter) Write(mat qrcode.Matrix) error {
	w.m = make([][]bool, mat.Height())
	for y := range w.m {
		w.m[y] = make([]bool, mat.Width())
	}
	mat.Iterate(qrcode.IterDirection_ROW, func(x, y int, v qrcode.QRValue) {
		w.m[y][x] = v.IsSet()
	})
	return nil
}

func (w *matrixWriter) Close() error { return nil }

// qrSVG draws the QR code as an inline SVG of sizeMM millimetres with the
// four-module quiet zone the standard asks for. Each dark run of a row is
// one rectangle, so the file stays small.
func qrSVG(text string, sizeMM int) (string, error) {
	m, err := qrMatrix(text)
	if err != nil {
		return "", err
	}
	n := len(m) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" viewBox="0 0 %d %d" width="%dmm" height="%dmm" role="img" aria-label="报告校验二维码" shape-rendering="crispEdges">`, n, n, sizeMM, sizeMM)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, n, n)
	for y, row := range m {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="1" fill="#000"/>`, start+4, y+4, x-start)
		}
	}
	b.WriteString(`</svg>`)
	return b.String(), nil
}
