package sandbox

import (
	"math"
	"slices"
	"strings"
)

// accountType is an account type Monarch offers, with its subtypes.
type accountType struct {
	name, display, group string
	subtypes             [][2]string // name, display
}

// accountTypes are the account types and subtypes the sandbox accepts, a
// subset of Monarch's with its names.
var accountTypes = []accountType{
	{"depository", "Cash", "asset", [][2]string{{"checking", "Checking"}, {"savings", "Savings"}, {"money_market", "Money Market"}, {"cd", "CD"}, {"cash_management", "Cash Management"}}},
	{"brokerage", "Investments", "asset", [][2]string{{"brokerage", "Brokerage"}, {"st_401k", "401k"}, {"ira", "IRA"}, {"roth", "Roth IRA"}, {"hsa", "HSA"}}},
	{"real_estate", "Real Estate", "asset", [][2]string{{"primary_home", "Primary Home"}, {"rental_property", "Rental Property"}}},
	{"vehicle", "Vehicles", "asset", [][2]string{{"car", "Car"}, {"motorcycle", "Motorcycle"}, {"boat", "Boat"}}},
	{"valuables", "Valuables", "asset", [][2]string{{"art", "Art"}, {"jewelry", "Jewelry"}, {"collectibles", "Collectibles"}}},
	{"other_asset", "Other Assets", "asset", [][2]string{{"other", "Other"}}},
	{"credit", "Credit Cards", "liability", [][2]string{{"credit_card", "Credit Card"}}},
	{"loan", "Loans", "liability", [][2]string{{"mortgage", "Mortgage"}, {"auto", "Auto"}, {"student", "Student"}, {"line_of_credit", "Line of Credit"}, {"personal", "Personal"}}},
	{"other_liability", "Other Liabilities", "liability", [][2]string{{"other", "Other"}}},
}

// lookupType returns the type and the subtype's display name, or nil.
func lookupType(typ, sub string) (*accountType, string) {
	for i := range accountTypes {
		t := &accountTypes[i]
		if t.name != typ {
			continue
		}
		for _, st := range t.subtypes {
			if st[0] == sub {
				return t, st[1]
			}
		}
		return t, ""
	}
	return nil, ""
}

// opAccountTypeOptions lists one option per type and subtype, as Monarch
// does.
func opAccountTypeOptions(_ *Sandbox, _ vars) (any, error) {
	out := []obj{}
	for _, t := range accountTypes {
		subs := make([]obj, 0, len(t.subtypes))
		for _, st := range t.subtypes {
			subs = append(subs, obj{"name": st[0], "display": st[1], "__typename": "AccountSubtype"})
		}
		typ := obj{
			"name": t.name, "display": t.display, "group": t.group, "possibleSubtypes": subs,
			"showForSyncedAccounts": true, "__typename": "AccountType",
		}
		for _, sub := range subs {
			out = append(out, obj{"type": typ, "subtype": sub, "__typename": "AccountTypeOption"})
		}
	}
	return obj{"accountTypeOptions": out}, nil
}

// accountAnswer is a mutation answer carrying an account or an error.
func (s *Sandbox) accountAnswer(field, typename string, a *account, err obj) obj {
	var acct any
	if a != nil {
		acct = s.renderAccount(a)
	}
	return obj{field: obj{"account": acct, "errors": err, "__typename": typename}}
}

// signedFor is a balance as the sandbox stores it: a liability's amount
// owed, given positive as Monarch's form takes it, is negative.
func signedFor(group string, amount float64) float64 {
	if group == "liability" {
		return -math.Abs(round2(amount))
	}
	return round2(amount)
}

func opCreateManualAccount(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, field string) (any, error) {
		return s.accountAnswer("createManualAccount", "CreateManualAccountMutation", nil, payloadError(msg, "BAD_USER_INPUT", field)), nil
	}
	t, subDisplay := lookupType(in.str("type"), in.str("subtype"))
	switch {
	case t == nil:
		return fail("Invalid account type.", "type")
	case subDisplay == "":
		return fail("Invalid account subtype for this type.", "subtype")
	}
	name := strings.TrimSpace(in.str("name"))
	if name == "" {
		return fail("This field may not be blank.", "name")
	}
	bal, _ := in.num("displayBalance")
	if math.IsNaN(bal) || math.IsInf(bal, 0) {
		return fail("Enter a valid balance.", "displayBalance")
	}
	now := s.now()
	a := &account{
		id: s.st.newID(kindAccount), name: name, typ: t.name, typDisplay: t.display, group: t.group,
		subtype: in.str("subtype"), subtypeDisplay: subDisplay, isAsset: t.group == "asset",
		balance: signedFor(t.group, bal), order: len(s.st.accounts), createdAt: now, updatedAt: now,
	}
	if b := in.boolp("includeInNetWorth"); b != nil {
		a.excludeFromNetWorth = !*b
	}
	s.st.accounts = append(s.st.accounts, a)
	s.st.accByID[a.id] = a
	return s.accountAnswer("createManualAccount", "CreateManualAccountMutation", a, nil), nil
}

func opUpdateAccount(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return s.accountAnswer("updateAccount", "UpdateAccountMutation", nil, payloadError(msg, code, field)), nil
	}
	a := s.st.accByID[in.str("id")]
	if a == nil {
		return fail("Account not found.", "NOT_FOUND", "id")
	}
	// Validate everything before changing anything.
	typ, sub := a.typ, a.subtype
	if in.has("type") {
		typ = in.str("type")
	}
	if in.has("subtype") {
		sub = in.str("subtype")
	}
	t, subDisplay := lookupType(typ, sub)
	switch {
	case t == nil:
		return fail("Invalid account type.", "BAD_USER_INPUT", "type")
	case subDisplay == "":
		return fail("Invalid account subtype for this type.", "BAD_USER_INPUT", "subtype")
	}
	bal, hasBal := in.num("displayBalance")
	switch {
	case in.has("displayBalance") && (!hasBal || math.IsNaN(bal) || math.IsInf(bal, 0)):
		return fail("Enter a valid balance.", "BAD_USER_INPUT", "displayBalance")
	case hasBal && a.cred != nil:
		return fail("The balance of a synced account comes from its institution.", "BAD_USER_INPUT", "displayBalance")
	}
	name := a.name
	if in.has("name") {
		if name = strings.TrimSpace(in.str("name")); name == "" {
			return fail("This field may not be blank.", "BAD_USER_INPUT", "name")
		}
	}

	a.name, a.typ, a.typDisplay, a.group, a.subtype, a.subtypeDisplay = name, t.name, t.display, t.group, sub, subDisplay
	a.isAsset = t.group == "asset"
	if hasBal {
		a.balance = signedFor(t.group, bal)
	}
	for field, dst := range map[string]*bool{"hideFromList": &a.hideFromList, "hideTransactionsFromReports": &a.hideTxnsFromReports} {
		if b := in.boolp(field); b != nil {
			*dst = *b
		}
	}
	if b := in.boolp("includeInNetWorth"); b != nil {
		a.excludeFromNetWorth = !*b
	}
	a.updatedAt = s.now()
	return s.accountAnswer("updateAccount", "UpdateAccountMutation", a, nil), nil
}

// opDeleteAccount deletes an account with its transactions and holdings,
// and takes it off goals.
func opDeleteAccount(s *Sandbox, v vars) (any, error) {
	a := s.st.accByID[v.str("id")]
	if a == nil {
		return obj{"deleteAccount": obj{
			"deleted": false, "errors": payloadError("Account not found.", "NOT_FOUND", "id"), "__typename": "DeleteAccountMutation",
		}}, nil
	}
	delete(s.st.accByID, a.id)
	s.st.accounts = slices.DeleteFunc(s.st.accounts, func(b *account) bool { return b == a })
	for id, t := range s.st.txns {
		if t.acct == a {
			delete(s.st.txns, id)
		}
	}
	s.st.holdings = slices.DeleteFunc(s.st.holdings, func(h *holding) bool { return h.acct == a })
	if s.st.goals != nil {
		for _, g := range s.st.goals.list {
			g.linked = slices.DeleteFunc(g.linked, func(b *account) bool { return b == a })
			delete(g.amounts, a.id)
		}
	}
	delete(s.st.balances, a.id)
	return obj{"deleteAccount": obj{"deleted": true, "errors": nil, "__typename": "DeleteAccountMutation"}}, nil
}

// opBulkUpdateTransactions applies updates to the selected transactions,
// all or none: when the selection does not hold
// expectedAffectedTransactionCount transactions, or an update names an
// unknown category or tag, nothing changes.
func opBulkUpdateTransactions(s *Sandbox, v vars) (any, error) {
	fail := func(msg, field string) (any, error) {
		return obj{"bulkUpdateTransactions": obj{
			"success": false, "affectedCount": 0, "errors": payloadError(msg, "BAD_USER_INPUT", field), "__typename": "BulkUpdateTransactionsMutation",
		}}, nil
	}
	var sel []*txn
	if b := v.boolp("allSelected"); b != nil && *b {
		all, err := s.filtered(v.obj("filters"))
		if err != nil {
			return nil, err
		}
		excluded := v.strs("excludedTransactionIds")
		sel = slices.DeleteFunc(all, func(t *txn) bool { return slices.Contains(excluded, t.id) })
	} else {
		for _, id := range v.strs("selectedTransactionIds") {
			t := s.st.txns[id]
			if t == nil {
				return fail("Transaction not found: "+id, "selectedTransactionIds")
			}
			if !slices.Contains(sel, t) {
				sel = append(sel, t)
			}
		}
	}
	if want := v.intOr("expectedAffectedTransactionCount", -1); want >= 0 && want != len(sel) {
		return fail("The selection changed: it holds a different number of transactions than expected. Nothing was changed.", "expectedAffectedTransactionCount")
	}
	u := v.obj("updates")
	var cat *category
	if u.has("categoryId") {
		if cat = s.st.catByID[u.str("categoryId")]; cat == nil {
			return fail("Category not found.", "categoryId")
		}
	}
	tags, unknown := s.tagsByIDLocked(u.strs("tags"))
	if unknown != "" {
		return fail("Tag not found: "+unknown, "tags")
	}
	status := u.str("reviewStatus")
	if u.has("reviewStatus") && status != "reviewed" && status != "needs_review" {
		return fail("Unknown review status: "+status, "reviewStatus")
	}
	now := s.now()
	for _, t := range sel {
		if u.has("notes") {
			t.notes = u.str("notes")
		}
		if u.has("tags") {
			t.tags = slices.Clone(tags)
		}
		if b := u.boolp("hide"); b != nil {
			t.hidden = *b
		}
		if cat != nil {
			t.cat = cat
		}
		switch status {
		case "reviewed":
			t.review, t.reviewedAt = false, &now
		case "needs_review":
			t.review, t.reviewedAt = true, nil
		}
		t.updatedAt = now
	}
	return obj{"bulkUpdateTransactions": obj{
		"success": true, "affectedCount": len(sel), "errors": nil, "__typename": "BulkUpdateTransactionsMutation",
	}}, nil
}
