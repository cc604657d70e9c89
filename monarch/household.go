package monarch

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Operations of the household tools: credit scores, members, business
// entities, and tag and category deletion. The root fields are those of
// Monarch's schema (testdata/monarch.graphql).
var (
	opCreditScores     = op("Common_GetSpinwheelCreditScoreSnapshots")
	opHouseholdMembers = op("GetHouseholdMembers")
	opBusinessEntities = op("GetBusinessEntities")
	opUpdateTag        = op("Common_UpdateTransactionTag")
	opDeleteTag        = op("Common_DeleteTransactionTag")
	opDeleteCategory   = op("Web_DeleteCategory")
)

// UserRef names a member of the household.
type UserRef struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

// CreditScoreSnapshot is one credit score Monarch's credit provider
// reported for a household member. ReportedDate is YYYY-MM-DD.
type CreditScoreSnapshot struct {
	ID           string   `json:"id"`
	ReportedDate string   `json:"reportedDate"`
	Score        int      `json:"score"`
	User         *UserRef `json:"user"`
}

// UnmarshalJSON checks the fields every snapshot must have.
func (s *CreditScoreSnapshot) UnmarshalJSON(b []byte) error {
	type plain CreditScoreSnapshot
	var w struct {
		plain
		ReportedDate *string `json:"reportedDate"`
		Score        *int    `json:"score"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("a credit score snapshot", "reportedDate", w.ReportedDate == nil, "score", w.Score == nil); err != nil {
		return err
	}
	*s = CreditScoreSnapshot(w.plain)
	s.ReportedDate, s.Score = *w.ReportedDate, *w.Score
	return nil
}

// GetCreditScoreHistory returns the household's credit score snapshots
// reported from start to end (YYYY-MM-DD, either may be empty for no
// bound). A household without credit score tracking has none: Monarch
// answers null, returned as an empty list.
func (c *Client) GetCreditScoreHistory(ctx context.Context, start, end string) ([]CreditScoreSnapshot, error) {
	vars := map[string]any{}
	for name, d := range map[string]string{"startDate": start, "endDate": end} {
		if d == "" {
			continue
		}
		if err := checkDate(name, d); err != nil {
			return nil, err
		}
		vars[name] = d
	}
	var out struct {
		Snapshots []CreditScoreSnapshot `json:"creditScoreSnapshots"`
	}
	if err := c.graphQL(ctx, opCreditScores, vars, &out); err != nil {
		return nil, err
	}
	return out.Snapshots, nil
}

// HouseholdMember is a person in the household. Role is "OWNER" or
// "MEMBER".
type HouseholdMember struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Role        string `json:"householdRole"`
	CreatedAt   string `json:"createdAt"`
}

// UnmarshalJSON checks the fields every member must have.
func (m *HouseholdMember) UnmarshalJSON(b []byte) error {
	type plain HouseholdMember
	return decodeNamed(b, "a household member", (*plain)(m))
}

// Household is the signed-in user's household and its members. MeID is
// the signed-in user's id.
type Household struct {
	ID      string
	Name    string
	MeID    string
	Members []HouseholdMember
}

// GetHousehold returns the household and its members.
func (c *Client) GetHousehold(ctx context.Context) (Household, error) {
	var out struct {
		Me *struct {
			ID string `json:"id"`
		} `json:"me"`
		Household *struct {
			ID    string             `json:"id"`
			Name  string             `json:"name"`
			Users *[]HouseholdMember `json:"users"`
		} `json:"myHousehold"`
	}
	if err := c.graphQL(ctx, opHouseholdMembers, nil, &out); err != nil {
		return Household{}, err
	}
	if out.Household == nil || out.Household.Users == nil {
		return Household{}, &UnexpectedResponseError{Operation: opHouseholdMembers.name, Reason: "the answer has no myHousehold users list"}
	}
	h := Household{ID: out.Household.ID, Name: out.Household.Name, Members: *out.Household.Users}
	if out.Me != nil {
		h.MeID = out.Me.ID
	}
	return h, nil
}

// BusinessEntity is a business the household tracks apart from its
// personal finances. Structure is Monarch's BusinessEntityStructure (llc,
// sole_proprietorship, s_corp, ...).
type BusinessEntity struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Description       string `json:"description"`
	Structure         string `json:"structure"`
	Color             string `json:"color"`
	AccountsCount     int    `json:"accountsCount"`
	TransactionsCount int    `json:"transactionsCount"`
	CreatedAt         string `json:"createdAt"`
}

// UnmarshalJSON checks the fields every business entity must have.
func (e *BusinessEntity) UnmarshalJSON(b []byte) error {
	type plain BusinessEntity
	var w struct {
		plain
		Description *string `json:"description"`
		Color       *string `json:"color"`
		CreatedAt   *string `json:"createdAt"`
	}
	if err := decodeNamed(b, "a business entity", &w); err != nil {
		return err
	}
	*e = BusinessEntity(w.plain)
	e.Description, e.Color, e.CreatedAt = deref(w.Description), deref(w.Color), deref(w.CreatedAt)
	return nil
}

// GetBusinessEntities returns the household's business entities (none for
// a household that tracks no business).
func (c *Client) GetBusinessEntities(ctx context.Context) ([]BusinessEntity, error) {
	var out struct {
		Entities *[]BusinessEntity `json:"businessEntities"`
	}
	if err := c.graphQL(ctx, opBusinessEntities, nil, &out); err != nil {
		return nil, err
	}
	if out.Entities == nil {
		return nil, &UnexpectedResponseError{Operation: opBusinessEntities.name, Reason: "the answer has no businessEntities list"}
	}
	return *out.Entities, nil
}

// UpdateTag sets a tag's name and colour ("#RRGGBB") and returns the tag
// as Monarch now has it. Monarch's input requires both, so a caller
// changing one passes the other's current value. An unknown id is an
// error matching ErrNotFound.
func (c *Client) UpdateTag(ctx context.Context, id, name, color string) (Tag, error) {
	name = strings.TrimSpace(name)
	switch {
	case strings.TrimSpace(id) == "":
		return Tag{}, fmt.Errorf("monarch: UpdateTag: id is empty")
	case name == "":
		return Tag{}, fmt.Errorf("monarch: UpdateTag: name is empty")
	case color == "":
		return Tag{}, fmt.Errorf("monarch: UpdateTag: color is empty")
	}
	var out struct {
		Update *struct {
			Errors payloadErrors `json:"errors"`
			Tag    *Tag          `json:"tag"`
		} `json:"updateTransactionTag"`
	}
	vars := map[string]any{"input": map[string]any{"id": id, "name": name, "color": color}}
	if err := c.graphQL(ctx, opUpdateTag, vars, &out); err != nil {
		return Tag{}, notFound("tag", id, err)
	}
	if out.Update == nil {
		return Tag{}, &UnexpectedResponseError{Operation: opUpdateTag.name, Reason: "the answer has no updateTransactionTag"}
	}
	if err := out.Update.Errors.err(opUpdateTag); err != nil {
		return Tag{}, notFound("tag", id, err)
	}
	if out.Update.Tag == nil {
		return Tag{}, &UnexpectedResponseError{Operation: opUpdateTag.name, Reason: "updateTransactionTag has no tag"}
	}
	return *out.Update.Tag, nil
}

// DeleteTag deletes a tag; Monarch removes it from every transaction and
// rule that carries it. An unknown id is an error matching ErrNotFound.
func (c *Client) DeleteTag(ctx context.Context, id string) error {
	if strings.TrimSpace(id) == "" {
		return fmt.Errorf("monarch: DeleteTag: id is empty")
	}
	var out struct {
		Delete *struct {
			Errors payloadErrors `json:"errors"`
		} `json:"deleteTransactionTag"`
	}
	if err := c.graphQL(ctx, opDeleteTag, map[string]any{"tagId": id}, &out); err != nil {
		return notFound("tag", id, err)
	}
	if out.Delete == nil {
		return &UnexpectedResponseError{Operation: opDeleteTag.name, Reason: "the answer has no deleteTransactionTag"}
	}
	return notFound("tag", id, out.Delete.Errors.err(opDeleteTag))
}

// DeleteCategory deletes a category. Its transactions move to moveTo, or
// become uncategorized when moveTo is "". An unknown id is an error
// matching ErrNotFound.
func (c *Client) DeleteCategory(ctx context.Context, id, moveTo string) error {
	if strings.TrimSpace(id) == "" {
		return fmt.Errorf("monarch: DeleteCategory: id is empty")
	}
	vars := map[string]any{"id": id}
	if moveTo != "" {
		vars["moveToCategoryId"] = moveTo
	}
	var out struct {
		Delete *struct {
			Deleted *bool         `json:"deleted"`
			Errors  payloadErrors `json:"errors"`
		} `json:"deleteCategory"`
	}
	if err := c.graphQL(ctx, opDeleteCategory, vars, &out); err != nil {
		return notFound("category", id, err)
	}
	if out.Delete == nil {
		return &UnexpectedResponseError{Operation: opDeleteCategory.name, Reason: "the answer has no deleteCategory"}
	}
	if err := out.Delete.Errors.err(opDeleteCategory); err != nil {
		return notFound("category", id, err)
	}
	if out.Delete.Deleted == nil || !*out.Delete.Deleted {
		return &UnexpectedResponseError{Operation: opDeleteCategory.name, Reason: "deleteCategory answered deleted: false without saying why"}
	}
	return nil
}
