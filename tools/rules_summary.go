package tools

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// summary says the rule in one line: "if merchant contains "x" → set
// category Groceries".
func (r transactionRule) summary() string {
	var when, then []string
	what := "merchant"
	if r.MatchOriginalStatement {
		what = "original statement"
	}
	for _, c := range r.Merchant {
		when = append(when, fmt.Sprintf("%s %s %q", what, c.Operator, c.Value))
	}
	if a := r.Amount; a != nil {
		switch {
		case a.Operator == monarch.OpBetween && a.Min != nil && a.Max != nil:
			when = append(when, fmt.Sprintf("%s between %.2f and %.2f", a.Type, *a.Min, *a.Max))
		case a.Value != nil:
			when = append(when, fmt.Sprintf("%s %s %.2f", a.Type, a.Operator, *a.Value))
		}
	}
	label := func(ns []named) string {
		var s []string
		for _, n := range ns {
			s = append(s, cmp.Or(n.Name, n.ID))
		}
		return strings.Join(s, ", ")
	}
	if len(r.Categories) > 0 {
		when = append(when, "category in "+label(r.Categories))
	}
	if len(r.Accounts) > 0 {
		when = append(when, "account in "+label(r.Accounts))
	}
	if r.SetMerchant != "" {
		then = append(then, fmt.Sprintf("rename merchant to %q", r.SetMerchant))
	}
	if r.SetCategory != nil {
		then = append(then, "set category "+cmp.Or(r.SetCategory.Name, r.SetCategory.ID))
	}
	if len(r.AddTags) > 0 {
		then = append(then, "add tags "+label(r.AddTags))
	}
	if r.HideFromReports {
		then = append(then, "hide from reports")
	}
	if r.ReviewStatus != "" {
		then = append(then, "mark "+strings.ReplaceAll(r.ReviewStatus, "_", " "))
	}
	return "if " + strings.Join(when, " and ") + " → " + strings.Join(then, ", ")
}
