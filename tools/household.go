package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

// --- get_credit_score_history -----------------------------------------------

type creditScorePoint struct {
	Date  string `json:"date" jsonschema:"the day the score was reported"`
	Score int    `json:"score"`
}

type memberCreditScores struct {
	UserID string             `json:"user_id"`
	Name   string             `json:"name"`
	Latest int                `json:"latest" jsonschema:"the most recent score in the range"`
	Change int                `json:"change" jsonschema:"latest minus the first score in the range"`
	Scores []creditScorePoint `json:"scores" jsonschema:"oldest first"`
}

type creditScoreResult struct {
	StartDate string               `json:"start_date"`
	EndDate   string               `json:"end_date"`
	Members   []memberCreditScores `json:"members" jsonschema:"one entry per household member with scores in the range"`
	Note      string               `json:"note,omitempty"`
	list
}

func getCreditScoreHistory(d *deps) Tool {
	return defineParsed[rangeArgs](d, spec{
		name:  "get_credit_score_history",
		title: "Get credit score history",
		description: "Credit scores Monarch tracks for each household member over a date range (default: the last 12 months), " +
			"with each member's latest score and the change over the range.",
		kind:   Read,
		params: rangeParams("12 months before end_date", "today"),
	}, func(ctx context.Context, span dateSpan) (creditScoreResult, error) {
		s, e := defaultRange(span.start, span.end, d.today(), func(end time.Time) time.Time { return end.AddDate(-1, 0, 0) })
		snaps, err := d.c.GetCreditScoreHistory(ctx, s.Format(dateLayout), e.Format(dateLayout))
		if err != nil {
			return creditScoreResult{}, err
		}
		res := shapeCreditScores(snaps)
		res.StartDate, res.EndDate = s.Format(dateLayout), e.Format(dateLayout)
		if len(snaps) == 0 {
			res.Note = "No credit scores in this range. Credit score tracking is turned on in Monarch's app, not here."
		}
		return res, nil
	})
}

// shapeCreditScores groups snapshots by member, each member's oldest first,
// members in the order their first snapshot appears.
func shapeCreditScores(snaps []monarch.CreditScoreSnapshot) creditScoreResult {
	snaps = slices.Clone(snaps)
	slices.SortStableFunc(snaps, func(a, b monarch.CreditScoreSnapshot) int { return cmp.Compare(a.ReportedDate, b.ReportedDate) })
	res := creditScoreResult{Members: []memberCreditScores{}}
	index := map[string]int{}
	for _, s := range snaps {
		var id, name string
		if s.User != nil {
			id, name = s.User.ID, cmp.Or(s.User.DisplayName, s.User.Name)
		}
		i, ok := index[id]
		if !ok {
			i = len(res.Members)
			index[id] = i
			res.Members = append(res.Members, memberCreditScores{UserID: id, Name: name})
		}
		m := &res.Members[i]
		m.Scores = append(m.Scores, creditScorePoint{Date: s.ReportedDate, Score: s.Score})
		m.Latest, m.Change = s.Score, s.Score-m.Scores[0].Score
	}
	res.list = fullList(len(res.Members))
	return res
}

// --- get_household_members --------------------------------------------------

type householdMember struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Role  string `json:"role" jsonschema:"owner or member"`
	IsYou bool   `json:"is_you,omitempty" jsonschema:"true for the signed-in user"`
}

type householdResult struct {
	Household string            `json:"household"`
	Members   []householdMember `json:"members"`
	list
}

func getHouseholdMembers(d *deps) Tool {
	return define(d, spec{
		name:        "get_household_members",
		title:       "Get household members",
		description: "List the people who share the Monarch household, with their role (owner or member) and which one is the signed-in user.",
		kind:        Read,
	}, func(ctx context.Context, _ noArgs) (householdResult, error) {
		h, err := d.c.GetHousehold(ctx)
		if err != nil {
			return householdResult{}, err
		}
		res := householdResult{Household: h.Name, Members: make([]householdMember, 0, len(h.Members))}
		for _, m := range h.Members {
			res.Members = append(res.Members, householdMember{
				ID: m.ID, Name: cmp.Or(m.DisplayName, m.Name), Role: strings.ToLower(m.Role), IsYou: m.ID == h.MeID,
			})
		}
		res.list = fullList(len(res.Members))
		return res, nil
	})
}

// --- get_business_entities --------------------------------------------------

type businessEntity struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Structure         string `json:"structure" jsonschema:"legal form, e.g. llc, sole_proprietorship, s_corp"`
	Description       string `json:"description,omitempty"`
	AccountsCount     int    `json:"accounts_count"`
	TransactionsCount int    `json:"transactions_count"`
}

type businessEntitiesResult struct {
	Entities []businessEntity `json:"entities"`
	list
}

func getBusinessEntities(d *deps) Tool {
	return define(d, spec{
		name:        "get_business_entities",
		title:       "Get business entities",
		description: "List the businesses the household tracks in Monarch apart from its personal finances, with legal form and how many accounts and transactions each has.",
		kind:        Read,
	}, func(ctx context.Context, _ noArgs) (businessEntitiesResult, error) {
		bs, err := d.c.GetBusinessEntities(ctx)
		if err != nil {
			return businessEntitiesResult{}, err
		}
		res := businessEntitiesResult{Entities: make([]businessEntity, 0, len(bs))}
		for _, b := range bs {
			res.Entities = append(res.Entities, businessEntity{
				ID: b.ID, Name: b.Name, Structure: b.Structure, Description: b.Description,
				AccountsCount: b.AccountsCount, TransactionsCount: b.TransactionsCount,
			})
		}
		res.list = fullList(len(res.Entities))
		return res, nil
	})
}

// --- update_tag -------------------------------------------------------------

type tagDetail struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Color            string `json:"color" jsonschema:"#RRGGBB"`
	TransactionCount int    `json:"transaction_count" jsonschema:"transactions carrying the tag"`
}

func shapeTagDetail(t monarch.Tag) tagDetail {
	return tagDetail{ID: t.ID, Name: t.Name, Color: t.Color, TransactionCount: t.TransactionCount}
}

// findTag reads the household's tags and returns the one with the id and
// the rest.
func (d *deps) findTag(ctx context.Context, id string) (monarch.Tag, []monarch.Tag, error) {
	ts, err := d.c.GetTags(ctx)
	if err != nil {
		return monarch.Tag{}, nil, err
	}
	i := slices.IndexFunc(ts, func(t monarch.Tag) bool { return t.ID == id })
	if i < 0 {
		return monarch.Tag{}, nil, fmt.Errorf("tag %s %w: get_transaction_tags lists the valid ids", id, monarch.ErrNotFound)
	}
	t := ts[i]
	return t, slices.Delete(ts, i, i+1), nil
}

type updateTagArgs struct {
	TagID  string  `json:"tag_id"`
	Name   *string `json:"name,omitempty"`
	Color  *string `json:"color,omitempty"`
	DryRun bool    `json:"dry_run,omitempty"`
}

func (a *updateTagArgs) validate() error {
	if err := requireID("tag_id", a.TagID, "get_transaction_tags lists tag ids"); err != nil {
		return err
	}
	if a.Name == nil && a.Color == nil {
		return &ArgError{Msg: "nothing to change: give name, color or both"}
	}
	if a.Name != nil {
		// Trimmed here, so what is sent is what the result shows.
		*a.Name = strings.TrimSpace(*a.Name)
		if *a.Name == "" {
			return argErrorf("name", "must not be empty")
		}
		if err := checkLen("name", *a.Name, maxTagName); err != nil {
			return err
		}
	}
	if a.Color != nil {
		return checkColor("color", *a.Color)
	}
	return nil
}

// checkColor refuses a colour Monarch's tags do not use.
func checkColor(param, c string) error {
	if !colorPattern.MatchString(c) {
		return argErrorf(param, fmt.Sprintf("must be a colour of the form #RRGGBB, e.g. #19D2A5 (got %q)", c))
	}
	return nil
}

type updateTagResult struct {
	DryRun  bool      `json:"dry_run"`
	Tag     tagDetail `json:"tag" jsonschema:"the tag after the change (in a dry run: as it would be)"`
	Changes []string  `json:"changes" jsonschema:"what changed (or would change), e.g. name: Vacation → Trips; empty when nothing differs"`
	journalNote
}

func updateTag(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "update_tag",
		title: "Update tag",
		description: "Rename a transaction tag or change its colour; only the fields given change, and every transaction keeps the tag. " +
			"tag_id comes from get_transaction_tags. dry_run=true shows the change without making it." + confirmFirst,
		kind:       Write,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("tag_id", "Tag id from get_transaction_tags.", mcp.Required()),
			mcp.WithString("name", mcp.Description("New name (must not be used by another tag)."), mcp.MaxLength(maxTagName)),
			mcp.WithString("color", mcp.Description("New colour as #RRGGBB."), mcp.Pattern(`^#[0-9A-Fa-f]{6}$`), mcp.MaxLength(len("#RRGGBB"))),
			dryRunParam(),
		},
	}, journaled[updateTagArgs, updateTagResult]{
		undo:    undoFull,
		summary: func(a updateTagArgs) string { return "updated tag " + a.TagID },
		targets: func(_ context.Context, a updateTagArgs) ([]target, error) {
			var f []string
			if a.Name != nil {
				f = append(f, tagName)
			}
			if a.Color != nil {
				f = append(f, tagColor)
			}
			return []target{tagTarget([]string{a.TagID}, f...)}, nil
		},
		dryRun: func(a updateTagArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a updateTagArgs) (updateTagResult, error) {
		// Monarch's input needs both name and colour: the current tag
		// supplies the one not given, and says what changes.
		before, others, err := d.findTag(ctx, a.TagID)
		if err != nil {
			return updateTagResult{}, err
		}
		after, changes := before, []string{}
		if a.Name != nil && *a.Name != before.Name {
			if i := slices.IndexFunc(others, func(t monarch.Tag) bool { return strings.EqualFold(t.Name, *a.Name) }); i >= 0 {
				return updateTagResult{}, argErrorf("name", fmt.Sprintf("%q is already the name of tag %s", others[i].Name, others[i].ID))
			}
			after.Name = *a.Name
			changes = append(changes, "name: "+before.Name+" → "+after.Name)
		}
		if a.Color != nil && !strings.EqualFold(*a.Color, before.Color) {
			after.Color = *a.Color
			changes = append(changes, "color: "+before.Color+" → "+after.Color)
		}
		if a.DryRun {
			return updateTagResult{DryRun: true, Tag: shapeTagDetail(after), Changes: changes}, nil
		}
		t, err := d.c.UpdateTag(ctx, a.TagID, after.Name, after.Color)
		if err != nil {
			return updateTagResult{}, err
		}
		return updateTagResult{Tag: shapeTagDetail(t), Changes: changes}, nil
	})
}

// --- delete_tag -------------------------------------------------------------

type deleteTagArgs struct {
	TagID  string `json:"tag_id"`
	DryRun bool   `json:"dry_run,omitempty"`
}

func (a *deleteTagArgs) validate() error {
	return requireID("tag_id", a.TagID, "get_transaction_tags lists tag ids")
}

type deleteTagResult struct {
	DryRun  bool      `json:"dry_run"`
	Deleted bool      `json:"deleted"`
	Tag     tagDetail `json:"tag" jsonschema:"the tag as it was; transaction_count is how many transactions lose it"`
	journalNote
}

func deleteTag(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "delete_tag",
		title: "Delete tag",
		description: "Delete a transaction tag permanently: Monarch takes it off every transaction and rule (the transactions stay). " +
			"tag_id comes from get_transaction_tags. dry_run=true names the tag and how many transactions carry it." + confirmFirst,
		kind:       Destructive,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("tag_id", "Tag id from get_transaction_tags.", mcp.Required()),
			dryRunParam(),
		},
	}, journaled[deleteTagArgs, deleteTagResult]{
		undo:    undoPartial,
		caveat:  "undo recreates the tag with a new id and puts it back on its transactions; rules that added it do not get it back",
		summary: func(a deleteTagArgs) string { return "deleted tag " + a.TagID },
		targets: func(ctx context.Context, a deleteTagArgs) ([]target, error) {
			// The transactions that carry the tag lose it: recorded, so
			// that undo puts the recreated tag back on them.
			ids, err := d.matchingIDs(ctx, monarch.TransactionQuery{TagIDs: []string{a.TagID}}, maxJournaledBulk)
			if err != nil {
				return nil, err
			}
			return append([]target{tagTarget([]string{a.TagID})}, txTarget(ids, txTags)...), nil
		},
		dryRun: func(a deleteTagArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a deleteTagArgs) (deleteTagResult, error) {
		t, _, err := d.findTag(ctx, a.TagID)
		if err != nil {
			return deleteTagResult{}, err
		}
		if a.DryRun {
			return deleteTagResult{DryRun: true, Tag: shapeTagDetail(t)}, nil
		}
		if err := d.c.DeleteTag(ctx, a.TagID); err != nil {
			return deleteTagResult{}, err
		}
		return deleteTagResult{Deleted: true, Tag: shapeTagDetail(t)}, nil
	})
}

// --- delete_category --------------------------------------------------------

type deleteCategoryArgs struct {
	CategoryID string `json:"category_id"`
	MoveTo     string `json:"move_to_category_id,omitempty"`
	DryRun     bool   `json:"dry_run,omitempty"`
}

func (a *deleteCategoryArgs) validate() error {
	if err := requireID("category_id", a.CategoryID, "get_transaction_categories lists category ids"); err != nil {
		return err
	}
	if a.MoveTo != "" && a.MoveTo == a.CategoryID {
		return argErrorf("move_to_category_id", "must be another category than the one deleted")
	}
	return nil
}

type deleteCategoryResult struct {
	DryRun            bool     `json:"dry_run"`
	Deleted           bool     `json:"deleted"`
	Category          category `json:"category" jsonschema:"the category deleted (in a dry run: that would be)"`
	MovedTo           category `json:"moved_to" jsonschema:"where its transactions go: move_to_category_id, or Uncategorized"`
	TransactionsMoved int      `json:"transactions_moved" jsonschema:"how many transactions move (in a dry run: would move)"`
	journalNote
}

func deleteCategory(d *deps) Tool {
	return defineWrite(d, spec{
		name:  "delete_category",
		title: "Delete category",
		description: "Delete a transaction category permanently. Its transactions move to move_to_category_id, or become Uncategorized without it. " +
			"Ids come from get_transaction_categories. dry_run=true says how many transactions would move and where." + confirmFirst,
		kind:       Destructive,
		idempotent: true,
		params: []mcp.ToolOption{
			idParam("category_id", "Id of the category to delete, from get_transaction_categories.", mcp.Required()),
			idParam("move_to_category_id", "Category its transactions move to (default: they become Uncategorized)."),
			dryRunParam(),
		},
	}, journaled[deleteCategoryArgs, deleteCategoryResult]{
		undo: undoPartial,
		caveat: "undo recreates the category with a new id (as the household's own, even if it was built in) and moves its transactions back; " +
			"its budget amounts and the rules, recurring items and split parts that used it are not restored",
		summary: func(a deleteCategoryArgs) string { return "deleted category " + a.CategoryID },
		targets: func(ctx context.Context, a deleteCategoryArgs) ([]target, error) {
			// Its transactions move: recorded, so that undo moves them
			// back into the recreated category.
			ids, err := d.matchingIDs(ctx, monarch.TransactionQuery{CategoryIDs: []string{a.CategoryID}}, maxJournaledBulk)
			if err != nil {
				return nil, err
			}
			return append([]target{categoryTarget([]string{a.CategoryID})}, txTarget(ids, txCategory)...), nil
		},
		dryRun: func(a deleteCategoryArgs) bool { return a.DryRun },
	}, func(ctx context.Context, a deleteCategoryArgs) (deleteCategoryResult, error) {
		cs, err := d.c.GetCategories(ctx)
		if err != nil {
			return deleteCategoryResult{}, err
		}
		find := func(param, id string) (category, error) {
			i := slices.IndexFunc(cs, func(c monarch.Category) bool { return c.ID == id })
			if i < 0 {
				return category{}, fmt.Errorf("%s: category %s %w: get_transaction_categories lists the valid ids", param, id, monarch.ErrNotFound)
			}
			return shapeCategory(cs[i]), nil
		}
		res := deleteCategoryResult{DryRun: a.DryRun}
		if res.Category, err = find("category_id", a.CategoryID); err != nil {
			return deleteCategoryResult{}, err
		}
		if a.MoveTo != "" {
			if res.MovedTo, err = find("move_to_category_id", a.MoveTo); err != nil {
				return deleteCategoryResult{}, err
			}
		} else {
			res.MovedTo = category{Name: "Uncategorized"}
			if i := slices.IndexFunc(cs, func(c monarch.Category) bool { return c.SystemCategory == "uncategorized" }); i >= 0 {
				res.MovedTo = shapeCategory(cs[i])
			}
		}
		page, err := d.c.GetTransactions(ctx, monarch.TransactionQuery{CategoryIDs: []string{a.CategoryID}, Limit: 1})
		if err != nil {
			return deleteCategoryResult{}, err
		}
		res.TransactionsMoved = page.TotalCount
		if a.DryRun {
			return res, nil
		}
		if err := d.c.DeleteCategory(ctx, a.CategoryID, a.MoveTo); err != nil {
			return deleteCategoryResult{}, err
		}
		res.Deleted = true
		return res, nil
	})
}
