package sandbox

import (
	"math"
	"slices"
	"time"
)

func renderInstitution(i *institution) obj {
	return obj{
		"id": i.id, "name": i.name, "url": i.url, "primaryColor": i.color, "logo": nil,
		"plaidInstitutionId": i.plaidID, "status": "HEALTHY", "balanceStatus": "HEALTHY",
		"transactionsStatus": "HEALTHY", "hasIssuesReported": false, "hasIssuesReportedMessage": "",
		"plaidStatus": obj{}, "__typename": "Institution",
	}
}

func (s *Sandbox) renderCredential(c *credential) obj {
	inSync := false
	for _, a := range s.st.accounts {
		if a.cred == c && a.syncPolls > 0 {
			inSync = true
		}
	}
	return obj{
		"id": c.id, "updateRequired": false, "disconnectedFromDataProviderAt": nil,
		"dataProvider": c.provider, "displayLastUpdatedAt": c.lastUpdated.Format(isoTime),
		"hasSyncInProgress": inSync, "canBeForceRefreshed": true,
		"institution": renderInstitution(c.inst), "__typename": "Credential",
	}
}

// signedBalance is an account's balance as net worth counts it. Monarch
// reports liabilities' balances negative already.
func (a *account) signedBalance() float64 { return a.balance }

func (s *Sandbox) renderAccount(a *account) obj {
	txCount, holdCount := 0, 0
	for _, t := range s.st.txns {
		if t.acct == a {
			txCount++
		}
	}
	for _, h := range s.st.holdings {
		if h.acct == a {
			holdCount++
		}
	}
	lastUpdated, provider, providerID := a.updatedAt, "", any(nil)
	var cred, inst any
	if a.cred != nil {
		lastUpdated, provider, providerID = a.cred.lastUpdated, "plaid", "plaid-"+a.mask
		cred, inst = s.renderCredential(a.cred), renderInstitution(a.cred.inst)
	}
	return obj{
		"id": a.id, "displayName": a.name, "syncDisabled": a.cred == nil, "deactivatedAt": nil, "deletedAt": nil,
		"isHidden": a.hideFromList, "isAsset": a.isAsset, "isLiability": !a.isAsset, "mask": nullIfEmpty(a.mask),
		"createdAt": a.createdAt.Format(isoTime), "updatedAt": a.updatedAt.Format(isoTime),
		"displayLastUpdatedAt": lastUpdated.Format(isoTime),
		"currentBalance":       a.balance, "displayBalance": a.balance, "signedBalance": a.signedBalance(),
		"includeInNetWorth": !a.excludeFromNetWorth, "hideFromList": a.hideFromList, "hideTransactionsFromReports": a.hideTxnsFromReports,
		"includeBalanceInNetWorth": !a.excludeFromNetWorth, "includeInGoalBalance": a.isAsset,
		"dataProvider": provider, "dataProviderAccountId": providerID, "isManual": a.cred == nil,
		"transactionsCount": txCount, "holdingsCount": holdCount, "manualInvestmentsTrackingMethod": nil,
		"order": a.order, "logoUrl": nil, "hasSyncInProgress": a.syncPolls > 0,
		"invertSyncedBalance": false, "canInvertBalance": false,
		"type":        obj{"name": a.typ, "display": a.typDisplay, "group": a.group, "__typename": "AccountType"},
		"subtype":     obj{"name": a.subtype, "display": a.subtypeDisplay, "__typename": "AccountSubtypeOption"},
		"credential":  cred,
		"institution": inst,
		"ownedByUser": obj{"id": demoUserID, "displayName": demoUserName, "profilePictureUrl": nil, "__typename": "User"},
		"limit":       nullable(a.limit), "dataProviderCreditLimit": nullable(a.limit), "apr": nullable(a.apr),
		"interestRate": nullable(a.interestRate), "minimumPayment": nullable(a.min), "plannedPayment": nil,
		"excludeFromDebtPaydown": false,
		"__typename":             "Account",
	}
}

func opGetAccounts(s *Sandbox, _ vars) (any, error) {
	out := make([]obj, 0, len(s.st.accounts))
	for _, a := range s.st.accounts {
		out = append(out, s.renderAccount(a))
	}
	return obj{
		"accounts":             out,
		"householdPreferences": obj{"id": "150000000000000002", "accountGroupOrder": []string{}, "__typename": "HouseholdPreferences"},
	}, nil
}

// opRefreshStatus reports, per account, whether a refresh is still running.
// A refresh runs for one status poll: the first poll after
// Common_ForceRefreshAccountsMutation says in progress, the next says done.
func opRefreshStatus(s *Sandbox, _ vars) (any, error) {
	out := make([]obj, 0, len(s.st.accounts))
	now := s.now()
	for _, a := range s.st.accounts {
		out = append(out, obj{"id": a.id, "hasSyncInProgress": a.syncPolls > 0, "__typename": "Account"})
		if a.syncPolls > 0 {
			if a.syncPolls--; a.syncPolls == 0 {
				a.updatedAt, a.cred.lastUpdated = now, now
			}
		}
	}
	return obj{"accounts": out}, nil
}

func opForceRefresh(s *Sandbox, v vars) (any, error) {
	ids := v.obj("input").strs("accountIds")
	var targets []*account
	if len(ids) == 0 {
		// Manual accounts have nothing to refresh from.
		targets = slices.DeleteFunc(slices.Clone(s.st.accounts), func(a *account) bool { return a.cred == nil })
	}
	for _, id := range ids {
		a := s.st.accByID[id]
		if a == nil || a.cred == nil {
			return obj{"forceRefreshAccounts": obj{
				"success": false, "__typename": "ForceRefreshAccountsMutation",
				"errors": payloadError("Account not found: "+id, "NOT_FOUND", "accountIds"),
			}}, nil
		}
		targets = append(targets, a)
	}
	for _, a := range targets {
		a.syncPolls = 1
	}
	return obj{"forceRefreshAccounts": obj{"success": true, "errors": nil, "__typename": "ForceRefreshAccountsMutation"}}, nil
}

func opHoldings(s *Sandbox, v vars) (any, error) {
	return obj{"portfolio": obj{
		"aggregateHoldings": s.aggregateHoldings(v.obj("input").strs("accountIds")),
		"__typename":        "Portfolio",
	}}, nil
}

// balanceHistory returns the account's signed end-of-day balance for each
// of the historyDays days up to today, oldest first. Cash and credit
// accounts replay their transactions backwards from today's balance;
// investments follow a smooth deterministic curve.
func (s *Sandbox) balanceHistory(a *account) []obj {
	later := map[string]float64{} // date → sum of that day's amounts
	for _, t := range s.st.txns {
		if t.acct == a {
			later[t.date] += t.amount
		}
	}
	out := make([]obj, historyDays)
	bal := a.signedBalance()
	for i := 0; i < historyDays; i++ {
		day := s.st.today.AddDate(0, 0, -i)
		d := day.Format(isoDate)
		v := bal
		if a.typ == "brokerage" {
			v = a.signedBalance() * (1 - 0.09*float64(i)/historyDays) * (1 + 0.015*math.Sin(float64(i)/9))
		}
		if up, ok := s.st.balances[a.id][d]; ok {
			v = up // an uploaded balance replaces the computed one for its day
		}
		out[historyDays-1-i] = obj{"date": d, "signedBalance": round2(v), "accountId": a.id, "accountName": a.name, "__typename": "AccountSnapshot"}
		bal -= later[d] // balance at the end of the previous day
	}
	return out
}

func opAccountDetails(s *Sandbox, v vars) (any, error) {
	a := s.st.accByID[v.str("id")]
	if a == nil {
		return nil, &requestError{"Account matching query does not exist.", "NOT_FOUND"}
	}
	page, err := s.transactionPage(obj{"accounts": []any{a.id}}, "date", 0, 20)
	if err != nil {
		return nil, err
	}
	return obj{"account": s.renderAccount(a), "transactions": page, "snapshots": s.balanceHistory(a)}, nil
}

func opRecentBalances(s *Sandbox, v vars) (any, error) {
	start, err := parseDate(v.str("startDate"), s.st.today.AddDate(0, 0, -31))
	if err != nil {
		return nil, err
	}
	out := []obj{}
	for _, a := range s.st.accounts {
		var bals []float64
		for _, snap := range s.balanceHistory(a) {
			if d, _ := time.Parse(isoDate, snap["date"].(string)); !d.Before(start) {
				bals = append(bals, snap["signedBalance"].(float64))
			}
		}
		out = append(out, obj{"id": a.id, "recentBalances": bals, "__typename": "Account"})
	}
	return obj{"accounts": out}, nil
}

func opAggregateSnapshots(s *Sandbox, v vars) (any, error) {
	f := v.obj("filters")
	start, err := parseDate(f.str("startDate"), time.Time{})
	if err != nil {
		return nil, err
	}
	end, err := parseDate(f.str("endDate"), s.st.today)
	if err != nil {
		return nil, err
	}
	typ := f.str("accountType")
	sums := make([]float64, historyDays)
	dates := make([]string, historyDays)
	for _, a := range s.st.accounts {
		if typ != "" && a.typ != typ || a.excludeFromNetWorth {
			continue
		}
		for i, snap := range s.balanceHistory(a) {
			sums[i] += snap["signedBalance"].(float64)
			dates[i] = snap["date"].(string)
		}
	}
	out := []obj{}
	for i := range sums {
		d := s.st.today.AddDate(0, 0, i-historyDays+1)
		if d.Before(start) || d.After(end) {
			continue
		}
		out = append(out, obj{"date": d.Format(isoDate), "balance": round2(sums[i]), "__typename": "AggregateSnapshot"})
	}
	return obj{"aggregateSnapshots": out}, nil
}

func opInstitutions(s *Sandbox, _ vars) (any, error) {
	creds := make([]obj, 0, len(s.st.creds))
	for _, c := range s.st.creds {
		creds = append(creds, s.renderCredential(c))
	}
	accts := make([]obj, 0, len(s.st.accounts))
	for _, a := range s.st.accounts {
		if a.cred == nil { // manual: no institution
			continue
		}
		accts = append(accts, obj{
			"id": a.id, "displayName": a.name, "mask": a.mask, "deletedAt": nil,
			"subtype":    obj{"name": a.subtype, "display": a.subtypeDisplay, "__typename": "AccountSubtypeOption"},
			"credential": obj{"id": a.cred.id, "__typename": "Credential"},
			"__typename": "Account",
		})
	}
	return obj{
		"credentials":  creds,
		"accounts":     accts,
		"subscription": obj{"id": "150000000000000003", "isOnFreeTrial": false, "hasPremiumEntitlement": true, "__typename": "HouseholdSubscription"},
	}, nil
}

func opGetMe(s *Sandbox, _ vars) (any, error) {
	return obj{"me": obj{
		"id": demoUserID, "name": demoUserName, "email": DemoEmail, "birthday": nil, "timezone": "America/New_York",
		"hasPassword": true, "hasMfaOn": !s.opts.NoMFA, "externalAuthProviderNames": []string{},
		"pendingEmailUpdateVerification": nil, "profilePicture": nil, "profilePictureUrl": nil,
		"__typename": "User",
	}}, nil
}

// opSnapshotsByAccountType answers each account type's total balance at the
// end of each month (timeframe "month") or year ("year") from startDate's
// month to today's, from the demo accounts' balance history. month is
// YYYY-MM, as Monarch writes it; a year's is its first month.
func opSnapshotsByAccountType(s *Sandbox, v vars) (any, error) {
	start, err := parseDate(v.str("startDate"), time.Time{})
	if err != nil {
		return nil, err
	}
	if start.IsZero() {
		return nil, &requestError{"Variable \"startDate\" of required type \"Date!\" was not provided.", "BAD_USER_INPUT"}
	}
	tf := v.str("timeframe")
	if tf != "month" && tf != "year" {
		return nil, &requestError{"Variable \"timeframe\" got invalid value \"" + tf + "\"; expected month or year.", "BAD_USER_INPUT"}
	}
	key := func(date string) string { // YYYY-MM-DD → its period
		if tf == "year" {
			return date[:4] + "-01"
		}
		return date[:7]
	}
	from := key(start.Format(isoDate))
	type cell struct{ typ, period string }
	sums := map[cell]float64{}
	var periods, types []string
	for _, a := range s.st.accounts {
		if !slices.Contains(types, a.typ) {
			types = append(types, a.typ)
		}
		// History is oldest first: each period keeps its last day's balance.
		byPeriod := map[string]float64{}
		for _, snap := range s.balanceHistory(a) {
			if p := key(snap["date"].(string)); p >= from {
				byPeriod[p] = snap["signedBalance"].(float64)
			}
		}
		for p, b := range byPeriod {
			sums[cell{a.typ, p}] += b
			if !slices.Contains(periods, p) {
				periods = append(periods, p)
			}
		}
	}
	slices.Sort(periods)
	out := []obj{}
	for _, p := range periods {
		for _, t := range types {
			out = append(out, obj{"accountType": t, "month": p, "balance": round2(sums[cell{t, p}]), "__typename": "SnapshotByType"})
		}
	}
	typeList := []obj{}
	for _, t := range types {
		group := "asset"
		for _, a := range s.st.accounts {
			if a.typ == t {
				group = a.group
			}
		}
		typeList = append(typeList, obj{"name": t, "group": group, "__typename": "AccountType"})
	}
	return obj{"snapshotsByAccountType": out, "accountTypes": typeList}, nil
}
