package main

import (
	"digilevel/indicators"
)

// catalog returns the embedded default edition, parsed once per run; it
// names levels and kinds (display names are data, not code).
func (a *app) catalog() *indicators.Catalog {
	if a.defaultCat == nil {
		c, err := indicators.Embedded(indicators.DefaultEdition)
		if err != nil {
			panic(err) // the embedded catalog is validated by its tests
		}
		a.defaultCat = c
	}
	return a.defaultCat
}
