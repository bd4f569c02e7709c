package model

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Lower layers wrap them with the object they concern, so
// callers test with errors.Is and show the wrapped message.
var (
	// ErrInvalid is wrapped by every validation error.
	ErrInvalid = errors.New("输入无效")
	// ErrNotFound is returned when an enterprise, assessment or item does not exist.
	ErrNotFound = errors.New("不存在")
	// ErrExists is returned when creating something that already exists.
	ErrExists = errors.New("已存在")
	// ErrFinalized is returned when changing an assessment that is no longer a draft.
	ErrFinalized = errors.New("评测已定稿，不能修改")
	// ErrIncomplete is returned when finalizing an assessment with missing answers.
	ErrIncomplete = errors.New("评测未完成")
	// ErrState is returned for a state change the lifecycle does not allow.
	ErrState = errors.New("状态不允许此操作")
)

// FieldError is a validation error on one named field. Label is the Chinese
// field name shown to the user; Field is the stable key (the CLI maps it to a
// flag).
type FieldError struct {
	Field   string
	Label   string
	Message string
}

func (e *FieldError) Error() string { return e.Label + ": " + e.Message }

// Unwrap makes every FieldError an ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// FieldErrors collects the errors of several fields.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "；")
}

// Unwrap exposes the individual errors to errors.Is and errors.As.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es *FieldErrors) add(field, label, message string) {
	*es = append(*es, &FieldError{Field: field, Label: label, Message: message})
}

// text adds the field's problem under the shared text rule (CheckText) and
// reports whether the text was acceptable.
func (es *FieldErrors) text(field, value string, r TextRule) bool {
	if msg := textProblem(value, r); msg != "" {
		es.add(field, r.label(), msg)
		return false
	}
	return true
}

func (es FieldErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// kindError is an error of a sentinel kind whose message stands alone: it
// matches the sentinel with errors.Is without repeating its text.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind || errors.Is(e.kind, target) }

// Errorf formats a message and marks it with a sentinel kind (ErrInvalid,
// ErrNotFound, ...). Use %w in format to keep a cause reachable too.
func Errorf(kind error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &kindWrapError{kindError: kindError{kind: kind, msg: err.Error()}, cause: errors.Unwrap(err)}
}

type kindWrapError struct {
	kindError
	cause error
}

func (e *kindWrapError) Unwrap() error { return e.cause }

func invalidf(format string, args ...any) error { return Errorf(ErrInvalid, format, args...) }
