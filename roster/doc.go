// Package roster reads a district's enterprise roster (企业名单) from a CSV
// or XLSX file into enterprise files ([model.Enterprise]).
//
// # Header
//
// The header row is the first row, among the first 10 non-blank rows, that
// has a 企业名称 or 统一社会信用代码 column, so a title row above it is
// allowed. Column names are matched after removing spaces, required-column
// stars and anything in brackets (「企业名称（必填）」 is 企业名称), with
// full-width characters folded and a leading 是否 dropped; columns may come in
// any order. Recognized columns and their synonyms:
//
//	企业名称 (required)          名称、企业全称、公司名称、单位名称
//	统一社会信用代码 (required)  社会信用代码、信用代码
//	批次 (required)              改造批次、试点批次; values 1–3, 第一批, 一 …
//	所属行业                     行业、行业类别
//	规模                         企业规模; values 规上/规下, 规模以上/规模以下
//	专精特新                     values 否/省级/国家级/小巨人/none/provincial/national
//	省级以上智能工厂             智能工厂; values 是/否/Y/N/1/0/true/false
//	试点行业                     属于试点行业; values as above
//	服务商, 联系人, 职务, 联系电话 (电话、手机), 邮箱, 地址, 备注
//	2024年营业收入（万元）       any header with 营业收入 and one year; 元,
//	                             千元, 万元 (default), 百万元 and 亿元 are
//	                             converted to 万元
//
// A cell written as a text formula (="9141…") or with a leading apostrophe
// ('9141…), the ways spreadsheets keep digits as text and the way
// `digilevel export --format csv` writes identifiers, is read as its text,
// so the project's own export reads back unchanged.
//
// The model's JSON keys (name, code, batch, …) are accepted as column names
// too. Other columns are ignored and listed in [Result.Ignored]. A missing
// required column, or a revenue column without a year, is an error for the
// whole file.
//
// # Rows
//
// Row numbers are the row numbers a spreadsheet shows (the header of a file
// without a title is row 1). Blank rows are skipped. Each other row becomes
// an enterprise, normalized and validated with [model.Enterprise.Validate],
// or a [RowError] that lists every problem of the row. A credit code that
// already appeared in an earlier row is a problem of the later row.
//
// # Encodings and limits
//
// CSV files may be UTF-8 (with or without BOM), GB18030/GBK (what Chinese
// Excel writes) or UTF-16 with BOM, separated by commas, tabs or semicolons.
// XLSX files are read from the sheet named 企业名单, or else the first sheet.
// Files are limited to [MaxFileSize] bytes and [MaxRows] non-blank rows.
package roster
