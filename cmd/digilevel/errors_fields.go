package main

import (
	"errors"

	"digilevel/model"
)

// asFieldErrors finds field errors in err, whether one or several.
func asFieldErrors(err error, out *model.FieldErrors) bool {
	if errors.As(err, out) {
		return true
	}
	var fe *model.FieldError
	if errors.As(err, &fe) {
		*out = model.FieldErrors{fe}
		return true
	}
	return false
}
