package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// CheckJSON checks what encoding/json lets pass: data must be exactly one
// JSON value (nothing after it but white space, not even a stray `}`), and
// no object may name a key twice (encoding/json would silently keep the
// last one). what names the document in the error, e.g. "答卷".
func CheckJSON(data []byte, what string) error {
	type frame struct {
		object  bool
		wantKey bool
		keys    map[string]bool
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	started := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if !started {
				return invalidf("%s为空", what)
			}
			if len(stack) > 0 {
				return invalidf("%s格式错误: JSON 不完整", what)
			}
			return nil
		}
		if err != nil {
			if started && len(stack) == 0 {
				return invalidf("%s格式错误: JSON 之后还有多余内容（第 %d 字节起）", what, dec.InputOffset()+1)
			}
			return invalidf("%s格式错误: %v", what, jsonMessage(err))
		}
		if started && len(stack) == 0 {
			return invalidf("%s格式错误: JSON 之后还有多余内容（第 %d 字节起）", what, dec.InputOffset())
		}
		started = true
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			top := stack[n-1]
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			key, _ := tok.(string)
			if top.keys[key] {
				return invalidf("%s格式错误: 键 %q 重复出现（同一对象中每个键只能出现一次）", what, key)
			}
			top.keys[key] = true
			top.wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, keys: map[string]bool{}})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'), json.Delim('}'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// jsonMessage is encoding/json's syntax error with its byte offset, the
// part a person can act on.
func jsonMessage(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("第 %d 字节附近语法错误", se.Offset)
	}
	return "不是有效的 JSON"
}

// DecodeStrictJSON checks data with CheckJSON and decodes it into v,
// refusing fields v does not have.
func DecodeStrictJSON(data []byte, what string, v any) error {
	if err := CheckJSON(data, what); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidf("%s格式错误: %v", what, decodeMessage(err))
	}
	return nil
}

// decodeMessage explains a decode error of well-formed JSON in Chinese.
func decodeMessage(err error) string {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "文档"
		}
		return fmt.Sprintf("%s 的类型不对（应为 %s，实际 %s）", field, jsonType(te.Type.Kind().String()), te.Value)
	}
	if msg, ok := bytes.CutPrefix([]byte(err.Error()), []byte("json: unknown field ")); ok {
		return fmt.Sprintf("未知字段 %s", msg)
	}
	return err.Error()
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "slice", "array":
		return "数组"
	case "map", "struct":
		return "对象"
	case "bool":
		return "true 或 false"
	}
	return "数值"
}
