package indicators

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

//go:embed editions/*.json editions/planning/*.json
var editionFiles embed.FS

// DefaultEdition is the edition used when none is named.
const DefaultEdition = "2024"

// MaxCatalogSize bounds a user-supplied catalog file; the 2024 edition is
// about 40 KB.
const MaxCatalogSize = 4 << 20

// Editions lists the embedded editions, oldest first.
func Editions() []string {
	entries, _ := editionFiles.ReadDir("editions")
	var out []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// Embedded parses and validates an embedded edition.
func Embedded(edition string) (*Catalog, error) {
	name := path.Join("editions", edition+".json")
	data, err := editionFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("未知的指标版本 %q（内置版本: %s）", edition, strings.Join(Editions(), ", "))
	}
	return Parse(name, data)
}

// EmbeddedByHash parses every embedded edition and keys it by its content
// hash, the way reports name their catalog.
func EmbeddedByHash() (map[string]*Catalog, error) {
	out := map[string]*Catalog{}
	for _, ed := range Editions() {
		c, err := Embedded(ed)
		if err != nil {
			return nil, err
		}
		out[c.Hash()] = c
	}
	return out, nil
}

// Load reads, parses and validates a user-supplied edition file.
func Load(filename string) (*Catalog, error) {
	f, err := os.Open(filename)
	if err != nil {
		return nil, fmt.Errorf("读取指标目录 %s: %w", filename, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxCatalogSize+1))
	if err != nil {
		return nil, fmt.Errorf("读取指标目录 %s: %w", filename, err)
	}
	if len(data) > MaxCatalogSize {
		return nil, fmt.Errorf("指标目录 %s 超过 %d 字节上限", filename, MaxCatalogSize)
	}
	return Parse(filename, data)
}

// Parse decodes an edition file strictly (unknown fields are an error),
// validates it and computes its content hash. name is used in error messages.
func Parse(name string, data []byte) (*Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("指标目录 %s 格式错误: %w", name, describeJSONError(err))
	}
	if dec.More() {
		return nil, fmt.Errorf("指标目录 %s 格式错误: JSON 之后还有多余内容", name)
	}
	c.file = name
	if err := c.Validate(); err != nil {
		return nil, err
	}
	canonical, err := c.Canonical()
	if err != nil {
		return nil, fmt.Errorf("指标目录 %s: %w", name, err)
	}
	sum := sha256.Sum256(canonical)
	c.hash = hex.EncodeToString(sum[:])
	c.buildIndex()
	return &c, nil
}

func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("第 %d 字节处语法错误: %v", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("字段 %q 类型错误（应为 %s）", typ.Field, typ.Type)
	case errors.Is(err, io.EOF):
		return errors.New("文件为空")
	}
	return err
}

// Canonical is the byte form the hash is computed over: the catalog encoded
// by encoding/json with fields in declaration order and exact decimals.
func (c *Catalog) Canonical() ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode catalog: %w", err)
	}
	return b, nil
}

// Hash is the hex SHA-256 of the canonical form.
func (c *Catalog) Hash() string { return c.hash }

// File is the name the catalog was loaded from.
func (c *Catalog) File() string { return c.file }

func (c *Catalog) buildIndex() {
	for qi := range c.Questionnaires {
		qn := &c.Questionnaires[qi]
		qn.index = map[string]*Question{}
		qn.paths = map[string]Path{}
		for di := range qn.Dimensions {
			d := &qn.Dimensions[di]
			for si := range d.SubDimensions {
				s := &d.SubDimensions[si]
				for ii := range s.Indicators {
					ind := &s.Indicators[ii]
					for k := range ind.Questions {
						q := &ind.Questions[k]
						qn.index[q.ID] = q
						qn.order = append(qn.order, q)
						qn.paths[q.ID] = Path{Dimension: d, SubDimension: s, Indicator: ind}
					}
				}
			}
		}
	}
}
