package roster

import (
	"bytes"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Characters only the full GB18030 has, not GBK: 𠮷 (U+20BB7, a common
// surname variant, four bytes in GB18030), 㐀 (U+3400, CJK extension A)
// and € as GB18030 writes it (0xA2E3; GBK writes 0x80). Decoding a
// GB18030 roster as GBK would corrupt the first two silently.
const fullOnly = "𠮷野家㐀餐饮€"

func encodeGB18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("𠮷")); err == nil {
		t.Fatal("GBK encodes 𠮷: the test would not tell the two apart")
	}
	return b
}

func TestGB18030OnlyCharactersDecode(t *testing.T) {
	name := fullOnly + "有限公司"
	whole := encodeGB18030(t, "企业名称,统一社会信用代码,批次\r\n"+name+","+codeA+",1\r\n")
	text, err := DecodeText(whole)
	if err != nil || text != "企业名称,统一社会信用代码,批次\r\n"+name+","+codeA+",1\r\n" {
		t.Fatalf("DecodeText of a GB18030 file = %q, %v", text, err)
	}
	res, err := ReadCSV(bytes.NewReader(whole))
	if err != nil || len(res.Enterprises) != 1 || res.Enterprises[0].Enterprise.Name != name {
		t.Fatalf("ReadCSV of a GB18030 file: %+v %v; want %q", res, err, name)
	}

	// A mixed file decodes its GB18030 lines one by one: the same
	// characters must survive there too.
	var mixed []byte
	mixed = append(mixed, encodeGB18030(t, "企业名称,统一社会信用代码,批次\r\n")...)
	mixed = append(mixed, encodeGB18030(t, name+","+codeA+",1\r\n")...)
	mixed = append(mixed, "乙公司,"+codeB+",1\r\n"...) // UTF-8: reported
	res, err = ReadCSV(bytes.NewReader(mixed))
	if err != nil || len(res.Enterprises) != 1 || res.Enterprises[0].Enterprise.Name != name || len(res.Problems) != 1 {
		t.Fatalf("ReadCSV of a mixed file: %+v %v; want %q imported and the UTF-8 row reported", res, err, name)
	}
}

// A UTF-8 BOM is dropped, and it decides the file's encoding even when
// the first lines are ASCII: a GB18030 row of such a file is reported,
// the UTF-8 rows are imported.
func TestBOMDeclaresUTF8(t *testing.T) {
	bom := []byte{0xEF, 0xBB, 0xBF}
	text, err := DecodeText(append(bom, "name,code,batch\n"...))
	if err != nil || text != "name,code,batch\n" {
		t.Fatalf("DecodeText with a BOM = %q, %v", text, err)
	}
	in := append(bom, "name,code,batch\n"...)
	in = append(in, encodeGB18030(t, "甲公司,"+codeA+",1\n")...)
	in = append(in, "乙公司,"+codeB+",1\n"...)
	res, err := ReadCSV(bytes.NewReader(in))
	if err != nil || len(res.Enterprises) != 1 || res.Enterprises[0].Enterprise.Name != "乙公司" ||
		len(res.Problems) != 1 || res.Problems[0].Row != 2 {
		t.Errorf("BOM, ASCII header, a GB18030 row then a UTF-8 row: %+v %v; want the UTF-8 row imported and row 2 reported", res, err)
	}
	// No UTF-8 line at all: the BOM still declares UTF-8, so the GB18030
	// row is reported, not decoded as if the whole file were GB18030.
	in = append(bom, "name,code,batch\n"...)
	in = append(in, encodeGB18030(t, "甲公司,"+codeA+",1\n")...)
	res, err = ReadCSV(bytes.NewReader(in))
	if err != nil || len(res.Enterprises) != 0 || len(res.Problems) != 1 || res.Problems[0].Row != 2 {
		t.Errorf("BOM, ASCII header and only a GB18030 row: %+v %v; want row 2 reported, nothing imported", res, err)
	}
}

// A UTF-8 line whose only non-ASCII character is U+0080 (the first
// character at or above utf8.RuneSelf) is a UTF-8 line: it sets the file's
// encoding, so a GB18030 row after it is reported, and the U+0080 row is
// refused as text, not decoded as GB18030 into a Chinese character.
func TestFirstNonASCIIRuneIsUTF8(t *testing.T) {
	in := []byte("name,code,batch\nAcme\u0080," + codeA + ",1\n")
	in = append(in, encodeGB18030(t, "乙公司,"+codeB+",1\n")...)
	res, err := ReadCSV(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Enterprises) != 0 || len(res.Problems) != 2 || res.Problems[0].Row != 2 || res.Problems[1].Row != 3 {
		t.Errorf("a U+0080 row then a GB18030 row: %+v; want both rows reported, nothing imported", res)
	}
}
