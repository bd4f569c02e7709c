package roster

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// brokenSheetRow finds where a worksheet's XML stops being readable: the
// number of the row in which (or after which) the XML is malformed, or 0
// when it reads to its end. excelize's row iterator stops silently at the
// first XML error, which would drop every row from there on without a word;
// this reads the same part with a strict decoder so those rows can be
// reported.
func brokenSheetRow(data []byte, sheet string) (int, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, err
	}
	part, err := sheetPart(zr, sheet)
	if err != nil {
		return 0, err
	}
	f, err := zr.Open(part)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	dec := xml.NewDecoder(io.LimitReader(f, maxUnzipSize))
	dec.Strict = true
	last, open := 0, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return 0, nil
		}
		if err != nil {
			if open {
				return last, nil
			}
			return last + 1, nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			n := last + 1
			for _, a := range t.Attr {
				if a.Name.Local == "r" {
					if v, err := strconv.Atoi(a.Value); err == nil && v > 0 {
						n = v
					}
				}
			}
			last, open = n, true
		case xml.EndElement:
			if t.Name.Local == "row" {
				open = false
			}
		}
	}
}

// sheetPart finds the zip entry of a worksheet by its name, through the
// workbook and its relationships.
func sheetPart(zr *zip.Reader, sheet string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(zr, "xl/workbook.xml", &wb); err != nil {
		return "", err
	}
	if err := decodePart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				if t, ok := strings.CutPrefix(r.Target, "/"); ok {
					return t, nil
				}
				return path.Join("xl", r.Target), nil
			}
		}
	}
	return "", fmt.Errorf("worksheet %q not found", sheet)
}

func decodePart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return xml.NewDecoder(io.LimitReader(f, maxUnzipSize)).Decode(v)
}
