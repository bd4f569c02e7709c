package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/safefile"
)

// loadCatalog returns the catalog named by a file path, or the embedded
// edition when path is empty.
func loadCatalog(path, edition string) (*indicators.Catalog, error) {
	if path != "" {
		return readCatalogFile(path)
	}
	if edition == "" {
		edition = indicators.DefaultEdition
	}
	return indicators.Embedded(edition)
}

// readCatalogFile reads a catalog file a person names: a regular file of at
// most indicators.MaxCatalogSize, one strict JSON document (model.CheckJSON:
// no trailing content, no duplicate keys), then indicators.Parse.
func readCatalogFile(path string) (*indicators.Catalog, error) {
	data, err := safefile.Read(path, indicators.MaxCatalogSize)
	if err != nil {
		return nil, err
	}
	if err := model.CheckJSON(data, "指标目录 "+path+" "); err != nil {
		return nil, err
	}
	return indicators.Parse(path, data)
}

func newCatalogCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "查看与校验指标目录",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "validate [FILE]",
		Short: "校验指标目录文件（不给 FILE 则校验内置 2024 版）",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			c, err := loadCatalog(path, "")
			if err != nil {
				return inputError(err)
			}
			fmt.Fprintf(a.streams.out, "指标目录有效: %s（%s 版）\nSHA-256: %s\n", c.File(), c.Edition, c.Hash())
			return nil
		},
	})
	var asJSON bool
	var file string
	show := &cobra.Command{
		Use:   "show",
		Short: "显示指标目录（题目、选项、分值、场景、等级规则）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := loadCatalog(file, "")
			if err != nil {
				return inputError(err)
			}
			if asJSON {
				return printJSON(a.streams.out, struct {
					Hash string `json:"hash"`
					*indicators.Catalog
				}{c.Hash(), c})
			}
			return writeCatalog(a.streams.out, c)
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	show.Flags().StringVar(&file, "catalog", "", "使用指定的目录文件代替内置版本")
	cmd.AddCommand(show)
	return cmd
}

func writeCatalog(w io.Writer, c *indicators.Catalog) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s（%s）\nSHA-256: %s\n", c.Title, c.Notice, c.Hash())
	qn := c.DefaultQuestionnaire()
	for _, d := range qn.Dimensions {
		fmt.Fprintf(&b, "\n%s（%s 分）\n", d.Name, d.Points)
		for _, s := range d.SubDimensions {
			for _, ind := range s.Indicators {
				for _, q := range ind.Questions {
					kind := "单选"
					if q.Type == indicators.Multi {
						kind = "多选"
					}
					fmt.Fprintf(&b, "  %s %s › %s › %s [%s，满分 %s]\n     %s\n", q.ID, d.Name, s.Name, ind.Name, kind, q.Max, q.FullTitle())
					for _, o := range q.Options {
						fmt.Fprintf(&b, "     %s. %s（%s 分）\n", o.ID, o.Text, o.Score)
					}
				}
			}
		}
	}
	fmt.Fprintf(&b, "\n%s（%d 个应用场景，%d 个约束性）\n", c.ScenarioDimension, len(c.Scenarios), c.Constrained())
	for _, s := range c.Scenarios {
		flag := "指导性"
		if s.Constrained {
			flag = "约束性"
		}
		g, _ := c.Group(s.Group)
		fmt.Fprintf(&b, "  %s %s（%s，%s）\n", s.ID, s.Name, g.Name, flag)
	}
	fmt.Fprintf(&b, "\n等级规则（从高到低判定，均不满足为「%s」）\n", c.Levels.NoLevelLabel)
	for i := len(c.Levels.Rules) - 1; i >= 0; i-- {
		r := c.Levels.Rules[i]
		fmt.Fprintf(&b, "  %s: 得分 ≥ %s，且不少于 %d 个场景达到%s（其中约束性不少于 %d 个）\n", r.Name, r.MinScore, r.MinScenarios, r.Name, r.MinConstrained)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// inputError marks an error as bad input (exit code 2).
func inputError(err error) error {
	return exitCodeError{code: exitInput, err: err}
}
