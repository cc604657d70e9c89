package tools

import (
	"context"
)

// --- get_transaction_categories ---------------------------------------------

type category struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Group     string `json:"group,omitempty"`
	GroupID   string `json:"group_id,omitempty"`
	GroupType string `json:"group_type,omitempty" jsonschema:"income, expense or transfer"`
	IsSystem  bool   `json:"is_system,omitempty"`
}

type categoriesResult struct {
	Categories []category `json:"categories"`
	list
}

func getTransactionCategories(d *deps) Tool {
	return define(d, spec{
		name:  "get_transaction_categories",
		title: "Get transaction categories",
		description: "List the household's transaction categories with their ids and groups (income, expense, transfer). " +
			"Use the ids to filter get_transactions and to set a category with update_transaction or create_transaction.",
		kind: Read,
	}, func(ctx context.Context, _ noArgs) (categoriesResult, error) {
		cs, err := d.c.GetCategories(ctx)
		if err != nil {
			return categoriesResult{}, err
		}
		res := categoriesResult{Categories: make([]category, 0, len(cs))}
		for _, c := range cs {
			res.Categories = append(res.Categories, shapeCategory(c))
		}
		res.list = fullList(len(res.Categories))
		return res, nil
	})
}

// --- get_transaction_tags ---------------------------------------------------

type tag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type tagsResult struct {
	Tags []tag `json:"tags"`
	list
}

func getTransactionTags(d *deps) Tool {
	return define(d, spec{
		name:        "get_transaction_tags",
		title:       "Get transaction tags",
		description: "List the household's transaction tags with their ids (for the tag_ids filter of get_transactions).",
		kind:        Read,
	}, func(ctx context.Context, _ noArgs) (tagsResult, error) {
		ts, err := d.c.GetTags(ctx)
		if err != nil {
			return tagsResult{}, err
		}
		res := tagsResult{Tags: make([]tag, 0, len(ts))}
		for _, t := range ts {
			res.Tags = append(res.Tags, shapeTag(t))
		}
		res.list = fullList(len(res.Tags))
		return res, nil
	})
}

// --- get_institutions -------------------------------------------------------

type institution struct {
	ID             string   `json:"id,omitempty"`
	Name           string   `json:"name"`
	Status         string   `json:"status,omitempty" jsonschema:"connection status as Monarch reports it"`
	LastSync       string   `json:"last_sync,omitempty"`
	NeedsAttention bool     `json:"needs_attention,omitempty" jsonschema:"true when the connection needs the user to act in Monarch"`
	Accounts       []string `json:"accounts,omitempty" jsonschema:"names of the accounts under this connection"`
}

type institutionsResult struct {
	Institutions []institution `json:"institutions"`
	list
}

func getInstitutions(d *deps) Tool {
	return define(d, spec{
		name:  "get_institutions",
		title: "Get institutions",
		description: "List the banks and other institutions linked to Monarch, with each connection's status and last sync. " +
			"A connection that needs attention must be fixed by the user in Monarch's app.",
		kind: Read,
	}, func(ctx context.Context, _ noArgs) (institutionsResult, error) {
		is, err := d.c.GetInstitutions(ctx)
		if err != nil {
			return institutionsResult{}, err
		}
		res := institutionsResult{Institutions: shapeInstitutions(is)}
		res.list = fullList(len(res.Institutions))
		return res, nil
	})
}
