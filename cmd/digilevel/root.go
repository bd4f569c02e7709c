package main

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime/debug"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"digilevel/indicators"
)

// app holds what every command needs; it is built once in run.
type app struct {
	// streams are the text writers commands print through; raw are the
	// process's own streams (the terminal UI, exact bytes).
	streams streams
	raw     streams
	getenv  func(string) string
	// warnings are printed on stderr after the command's own messages.
	warnings []string
	db       string // --db

	defaultCat *indicators.Catalog // see catalog()
}

func newRootCmd(a *app) *cobra.Command {
	tuiOpts := &tuiOptions{}
	root := &cobra.Command{
		Use:           "digilevel",
		Short:         "中小企业数字化水平评测工具（离线）",
		Long:          "digilevel 按工信部《中小企业数字化水平评测指标（2024年版）》离线评测企业数字化水平。\n不带参数运行打开终端界面；子命令用于脚本与批处理。",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd.Context(), a, tuiOpts)
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usagef("参数错误: %v（查看帮助: %s --help）", translateFlagError(err), cmd.CommandPath())
	})
	root.SetUsageFunc(writeUsage)
	root.PersistentFlags().BoolP("help", "h", false, "显示帮助")
	root.PersistentFlags().StringVar(&a.db, "db", "", "数据库文件（默认 $DIGILEVEL_DB，或 $XDG_DATA_HOME/digilevel/digilevel.db）")
	root.Flags().BoolP("version", "v", false, "显示版本")
	tuiOpts.addFlags(root)
	root.SetVersionTemplate("digilevel {{.Version}}\n")
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newCatalogCmd(a),
		newScoreCmd(a),
		newRewardCmd(a),
		newEnterpriseCmd(a),
		newAssessmentCmd(a),
		newBackupCmd(a),
		newCheckCmd(a),
		newConfigCmd(a),
		newReportCmd(a),
		newExportCmd(a),
		newDemoCmd(a),
		newSyncCmd(a),
		newPullCmd(a),
		newServeCmd(a),
		newBundleCmd(a),
		newVerifyCmd(a),
		newSolutionsCmd(a),
	)
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Short, c.Long = "显示命令帮助", ""
		}
		markArgs(c)
	}
	return root
}

// markArgs makes cobra's argument errors usage errors in Chinese.
func markArgs(c *cobra.Command) {
	if c.Args != nil {
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usagef("参数错误: %s（用法: %s）", translateArgError(err), cmd.UseLine())
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markArgs(sub)
	}
}

func translateFlagError(err error) string {
	s := err.Error()
	// Ordered: longer phrases before the shorter ones they contain.
	for _, r := range [][2]string{
		{"unknown shorthand flag: ", "未知短选项 "},
		{"unknown flag: ", "未知选项 "},
		{"flag needs an argument: ", "选项缺少值 "},
		{"invalid argument ", "无效的值 "},
		{"bad flag syntax: ", "选项格式错误 "},
		{"required flag(s) ", "缺少必需选项 "},
		{" not set", ""},
		{"strconv.ParseInt: parsing ", "不是整数: "},
		{": invalid syntax", ""},
		{"if any flags in the group [", "以下选项须同时给出 ["},
		{` for "`, `（选项 "`},
		{`" flag: `, `"）: `},
		{"' in ", "'，位于 "},
	} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

// translateCobraError turns the errors cobra reports itself (before any
// command runs) into Chinese usage errors.
func translateCobraError(err error) error {
	if err == nil {
		return nil
	}
	switch s := err.Error(); {
	case strings.HasPrefix(s, "unknown command"):
		return usagef("%s（查看帮助: digilevel --help）", translateArgError(err))
	case strings.HasPrefix(s, "required flag(s)"):
		return usagef("参数错误: %s", translateFlagError(err))
	}
	return err
}

func translateArgError(err error) string {
	s := err.Error()
	switch {
	case strings.HasPrefix(s, "unknown command"):
		return "未知命令 " + strings.SplitN(s, "\"", 3)[1]
	case strings.Contains(s, "accepts"), strings.Contains(s, "requires"), strings.Contains(s, "arg(s)"):
		return "参数个数不对"
	}
	return s
}

func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "开发版（从源码构建）"
}

// writeUsage is the usage text of every command, in Chinese. It is plain
// Go rather than a cobra template: executing a text/template was a third of
// the instructions of `digilevel --help`.
func writeUsage(c *cobra.Command) error {
	var b strings.Builder
	b.WriteString("用法:")
	if c.Runnable() {
		b.WriteString("\n  " + strings.Replace(c.UseLine(), "[flags]", "[选项]", 1))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n  " + c.CommandPath() + " [命令]")
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\n\n别名:\n  " + c.NameAndAliases())
	}
	if c.HasExample() {
		b.WriteString("\n\n示例:\n" + c.Example)
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n命令:")
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				name := sub.Name()
				if pad := sub.NamePadding() - len(name); pad > 0 {
					name += strings.Repeat(" ", pad)
				}
				b.WriteString("\n  " + name + " " + sub.Short)
			}
		}
	}
	trim := func(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n\n选项:\n" + trim(c.LocalFlags().FlagUsages()))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n\n全局选项:\n" + trim(c.InheritedFlags().FlagUsages()))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n查看命令帮助: " + c.CommandPath() + " [命令] --help")
	}
	b.WriteString("\n")
	_, err := io.WriteString(c.OutOrStderr(), b.String())
	return err
}

// printJSON writes v as indented JSON (no HTML escaping) with a trailing
// newline; control and bidi characters in strings are \u escapes.
func printJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(jsonSafe(b.Bytes()))
	return err
}

// warn keeps a warning for the end of the run, after the command's result
// or error: a warning never hides what the command itself says first.
func (a *app) warn(msg string) { a.warnings = append(a.warnings, msg) }
