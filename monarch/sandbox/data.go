package sandbox

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

const (
	// isoTime is how Monarch writes timestamps: microseconds and a numeric offset.
	isoTime = "2006-01-02T15:04:05.000000-07:00"
	// isoDate is how Monarch writes dates.
	isoDate = "2006-01-02"

	demoUserID   = "150000000000000001"
	demoUserName = "Demo User"

	// historyDays is how far back the generated transactions go.
	historyDays = 365
	// demoAttachmentID is the id of the demo household's one attachment.
	demoAttachmentID = "170000000000000001"
)

// The demo household's entities. Pointers link them; IDs are Monarch-like
// numeric strings, stable for a given anchor date.
type (
	institution struct {
		id, name, url, color, plaidID string
	}
	credential struct {
		id          string
		inst        *institution
		provider    string
		lastUpdated time.Time
	}
	account struct {
		id, name, mask                string
		typ, typDisplay, group        string
		subtype, subtypeDisplay       string
		isAsset                       bool
		cred                          *credential
		balance                       float64 // signed: liabilities negative, as Monarch reports them
		order                         int
		limit, apr, interestRate, min *float64
		createdAt, updatedAt          time.Time
		syncPolls                     int // status polls still reporting a sync in progress
		// Manual accounts have no credential; the flags are the account
		// settings a user can change (zero values are Monarch's defaults).
		hideFromList, excludeFromNetWorth, hideTxnsFromReports bool
	}
	security struct {
		id, ticker, name, typ, typDisplay string
		class                             string // asset class label, e.g. Equity
		price, prevClose                  float64
	}
	holding struct {
		id       string
		acct     *account
		sec      *security
		qty      float64
		basis    float64
		manual   bool
		syncedAt time.Time
	}
	catGroup struct {
		id, name, typ string // typ: income | expense | transfer
		order         int
		variability   string // fixed | flexible | non_monthly; "" for income/transfer
	}
	category struct {
		id, name, icon, system string
		systemName             string // display name of a built-in category
		group                  *catGroup
		order                  int
		planned                float64   // monthly budget; 0 = none
		createdAt, updatedAt   time.Time // zero for built-in categories
	}
	tag struct {
		id, name, color string
		order           int
	}
	merchant struct {
		id, name string
	}
	txn struct {
		id                                 string
		acct                               *account
		date                               string // YYYY-MM-DD
		amount                             float64
		merch                              *merchant
		plaidName                          string
		cat                                *category
		notes                              string
		tags                               []*tag
		pending, recurring, review, hidden bool
		manual                             bool // created through the API
		goalID                             string
		reviewedAt                         *time.Time
		createdAt, updatedAt               time.Time
		splits                             []*split // parts it was split into; nil = not split
		attachments                        []attachment
	}
	stream struct {
		id        string
		merch     *merchant
		frequency string // monthly | biweekly
		amount    float64
		approx    bool
		cat       *category
		acct      *account
		day       int       // monthly: day of month
		anchor    time.Time // biweekly: one occurrence
		review    string    // review status: "" (= approved), pending, ignored
		inactive  bool      // turned off by the user: no upcoming items
	}
)

// pendingFault is an injected fault with its remaining uses.
type pendingFault struct {
	f Fault
	n int
}

// state is everything that changes: sessions, controls, counters and the
// household's data. Guarded by Sandbox.mu.
type state struct {
	// auth and controls
	sessions      map[string]*session
	codeUsed      bool // a code was accepted; lastCodeStep is its step
	lastCodeStep  int64
	outcome       LoginOutcome
	requestBudget int // per-session GraphQL allowance; -1 = unlimited
	faults        []pendingFault
	logins        int
	attempts      int
	requests      map[string]int
	requestsTotal int

	// data
	today     time.Time // anchor: the last day with transactions (UTC midnight)
	insts     []*institution
	creds     []*credential
	accounts  []*account
	accByID   map[string]*account
	secs      []*security
	holdings  []*holding
	groups    []*catGroup
	cats      []*category
	catByID   map[string]*category
	catByName map[string]*category
	tags      []*tag
	tagByID   map[string]*tag
	merchants map[string]*merchant // by lower-cased name
	txns      map[string]*txn
	streams   []*stream
	budgets   map[string]float64 // "month|categoryID" → planned, overriding category.planned
	nextID    int64

	// Transaction rules, and balance-history uploads by session key.
	rules    []*rule
	uploads  map[string]*upload            // by session key
	balances map[string]map[string]float64 // account id → date → uploaded balance

	goals *goalBook
}

// ids: a kind prefix keeps IDs of different entities apart, like Monarch's
// 18-digit numeric IDs.
const (
	kindInstitution = 1 + iota
	kindCredential
	kindAccount
	kindSecurity
	kindHolding
	kindGroup
	kindCategory
	kindTag
	kindMerchant
	kindTxn
	kindStream
	kindSplit
	kindRule
)

func (st *state) newID(kind int) string {
	st.nextID++
	return fmt.Sprintf("%d", int64(160000000000000000)+int64(kind)*1_000_000_000_000+st.nextID)
}

func ptr(f float64) *float64 { return &f }

// round2 rounds to cents.
func round2(f float64) float64 { return math.Round(f*100) / 100 }

// newState builds the demo household with transactions up to now's date,
// read in now's location as the client and tools read it, so that the
// household's last day is their "today" in any time zone. The same date
// gives the same household.
func newState(now time.Time) *state {
	y, m, d := now.Date()
	st := &state{
		sessions:      map[string]*session{},
		requestBudget: -1,
		requests:      map[string]int{},
		today:         time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		accByID:       map[string]*account{},
		catByID:       map[string]*category{},
		catByName:     map[string]*category{},
		tagByID:       map[string]*tag{},
		merchants:     map[string]*merchant{},
		txns:          map[string]*txn{},
		budgets:       map[string]float64{},
	}
	st.seedInstitutions()
	st.seedCategories()
	st.seedTags()
	st.seedHoldings()
	st.seedTransactions()
	st.seedRules()
	st.seedGoals()
	st.uploads, st.balances = map[string]*upload{}, map[string]map[string]float64{}
	return st
}

func (st *state) seedInstitutions() {
	inst := func(name, url, color, plaid string) *institution {
		i := &institution{id: st.newID(kindInstitution), name: name, url: url, color: color, plaidID: plaid}
		st.insts = append(st.insts, i)
		return i
	}
	cred := func(i *institution) *credential {
		c := &credential{id: st.newID(kindCredential), inst: i, provider: "PLAID", lastUpdated: st.today.Add(-3 * time.Hour)}
		st.creds = append(st.creds, c)
		return c
	}
	chase := cred(inst("Chase", "https://www.chase.com", "#0F5BA7", "ins_56"))
	ally := cred(inst("Ally Bank", "https://www.ally.com", "#650360", "ins_25"))
	vanguard := cred(inst("Vanguard", "https://investor.vanguard.com", "#96151D", "ins_115616"))
	wells := cred(inst("Wells Fargo", "https://www.wellsfargo.com", "#D71E28", "ins_127991"))

	created := st.today.AddDate(-2, 0, 0).Add(15 * time.Hour)
	acct := func(c *credential, name, mask, typ, typDisp, sub, subDisp string, asset bool, bal float64) *account {
		a := &account{
			id: st.newID(kindAccount), name: name, mask: mask, typ: typ, typDisplay: typDisp,
			subtype: sub, subtypeDisplay: subDisp, isAsset: asset, cred: c, balance: bal,
			order: len(st.accounts), createdAt: created, updatedAt: c.lastUpdated,
		}
		a.group = "asset"
		if !asset {
			a.group = "liability"
		}
		st.accounts = append(st.accounts, a)
		st.accByID[a.id] = a
		return a
	}
	acct(chase, "Chase Total Checking", "4821", "depository", "Cash", "checking", "Checking", true, 6243.18)
	acct(ally, "Ally Online Savings", "0937", "depository", "Cash", "savings", "Savings", true, 24510.42)
	cc := acct(chase, "Chase Sapphire Preferred", "7719", "credit", "Credit Cards", "credit_card", "Credit Card", false, -1876.35)
	cc.limit, cc.apr, cc.min = ptr(15000), ptr(21.49), ptr(40)
	acct(vanguard, "Vanguard Brokerage", "3302", "brokerage", "Investments", "brokerage", "Brokerage", true, 0) // = holdings
	mort := acct(wells, "Wells Fargo Mortgage", "5560", "loan", "Loans", "mortgage", "Mortgage", false, -312480.77)
	mort.interestRate, mort.min = ptr(3.125), ptr(2150)
}

// acct returns the demo account with the given subtype.
func (st *state) acct(subtype string) *account {
	for _, a := range st.accounts {
		if a.subtype == subtype {
			return a
		}
	}
	panic("sandbox: no demo account " + subtype) // unreachable: fixed seed data
}

func (st *state) seedCategories() {
	type c struct {
		name, icon string
		planned    float64
	}
	groups := []struct {
		name, typ, variability string
		cats                   []c
	}{
		{"Income", "income", "", []c{{"Paychecks", "💰", 7400}, {"Interest", "💸", 50}, {"Other Income", "💵", 0}}},
		{"Housing", "expense", "fixed", []c{{"Mortgage", "🏠", 2150}, {"Home Improvement", "🔨", 150}}},
		{"Bills & Utilities", "expense", "fixed", []c{{"Gas & Electric", "⚡", 140}, {"Internet & Cable", "🌐", 80}, {"Phone", "📱", 85}}},
		{"Food & Dining", "expense", "flexible", []c{{"Groceries", "🍏", 750}, {"Restaurants & Bars", "🍽", 300}, {"Coffee Shops", "☕", 60}}},
		{"Auto & Transport", "expense", "flexible", []c{{"Gas", "⛽", 200}, {"Auto Maintenance", "🔧", 0}}},
		{"Shopping", "expense", "flexible", []c{{"Shopping", "🛍", 300}, {"Clothing", "👕", 100}}},
		{"Lifestyle", "expense", "flexible", []c{{"Streaming Services", "📺", 30}, {"Entertainment & Recreation", "🎥", 100}, {"Fitness", "🏋", 25}}},
		{"Travel", "expense", "non_monthly", []c{{"Travel & Vacation", "🏝", 200}}},
		{"Gifts & Donations", "expense", "non_monthly", []c{{"Charity", "🎗", 50}}},
		{"Transfers", "transfer", "", []c{{"Transfer", "🔄", 0}, {"Credit Card Payment", "💳", 0}}},
		// Monarch's fallback for transactions it could not categorise.
		{"Other", "expense", "flexible", []c{{"Uncategorized", "❓", 0}}},
	}
	for gi, g := range groups {
		grp := &catGroup{id: st.newID(kindGroup), name: g.name, typ: g.typ, order: gi, variability: g.variability}
		st.groups = append(st.groups, grp)
		for ci, cc := range g.cats {
			cat := &category{
				id: st.newID(kindCategory), name: cc.name, icon: cc.icon, group: grp, order: ci, planned: cc.planned,
				system: strings.NewReplacer(" & ", "_", " ", "_").Replace(strings.ToLower(cc.name)), systemName: cc.name,
			}
			st.cats = append(st.cats, cat)
			st.catByID[cat.id] = cat
			st.catByName[cat.name] = cat
		}
	}
}

func (st *state) seedTags() {
	for i, t := range []struct{ name, color string }{
		{"Vacation", "#19D2A5"}, {"Reimbursable", "#FF7369"}, {"Tax Deductible", "#4F7CFF"}, {"Kids", "#FFB400"},
	} {
		tg := &tag{id: st.newID(kindTag), name: t.name, color: t.color, order: i}
		st.tags = append(st.tags, tg)
		st.tagByID[tg.id] = tg
	}
}

func (st *state) seedHoldings() {
	brk := st.acct("brokerage")
	for _, h := range []struct {
		ticker, name, typ, disp, class string
		price, prev, qty, basis        float64
	}{
		{"VTI", "Vanguard Total Stock Market ETF", "etf", "ETF", "Equity", 291.37, 289.90, 142.5, 31250.00},
		{"VXUS", "Vanguard Total International Stock ETF", "etf", "ETF", "Equity", 64.12, 64.40, 310, 17980.00},
		{"BND", "Vanguard Total Bond Market ETF", "etf", "ETF", "Fixed Income", 72.85, 72.80, 180, 13410.00},
		{"AAPL", "Apple Inc.", "equity", "Stock", "Equity", 228.64, 226.10, 40, 6120.00},
		{"VMFXX", "Vanguard Federal Money Market Fund", "cash", "Cash", "Cash", 1.00, 1.00, 2315.62, 2315.62},
	} {
		sec := &security{
			id: st.newID(kindSecurity), ticker: h.ticker, name: h.name, typ: h.typ, typDisplay: h.disp, class: h.class,
			price: h.price, prevClose: h.prev,
		}
		st.secs = append(st.secs, sec)
		st.holdings = append(st.holdings, &holding{
			id: st.newID(kindHolding), acct: brk, sec: sec, qty: h.qty, basis: h.basis, syncedAt: brk.cred.lastUpdated,
		})
	}
	st.syncBrokerageBalance(brk)
}

// syncBrokerageBalance sets an investment account's balance to its holdings' value.
func (st *state) syncBrokerageBalance(a *account) {
	total := 0.0
	for _, h := range st.holdings {
		if h.acct == a {
			total += h.qty * h.sec.price
		}
	}
	a.balance = round2(total)
}

// merchant returns the merchant named name, creating it.
func (st *state) merchant(name string) *merchant {
	k := strings.ToLower(strings.TrimSpace(name))
	if m := st.merchants[k]; m != nil {
		return m
	}
	m := &merchant{id: st.newID(kindMerchant), name: strings.TrimSpace(name)}
	st.merchants[k] = m
	return m
}

// addTxn records a generated transaction.
func (st *state) addTxn(a *account, day time.Time, amount float64, merchantName, catName string) *txn {
	cat := st.catByName[catName]
	if cat == nil {
		panic("sandbox: no demo category " + catName) // unreachable: fixed seed data
	}
	ts := day.Add(14*time.Hour + time.Duration(len(st.txns)%3600)*time.Second)
	t := &txn{
		id: st.newID(kindTxn), acct: a, date: day.Format(isoDate), amount: round2(amount),
		merch: st.merchant(merchantName), plaidName: strings.ToUpper(merchantName), cat: cat,
		createdAt: ts, updatedAt: ts,
	}
	st.txns[t.id] = t
	return t
}

func (st *state) tagNamed(name string) *tag {
	for _, t := range st.tags {
		if t.name == name {
			return t
		}
	}
	return nil
}

// seedTransactions generates about a year of household activity ending today,
// and the recurring streams behind the regular bills.
func (st *state) seedTransactions() {
	rng := rand.New(rand.NewPCG(20260501, 42)) // fixed seed: same household every run
	checking, savings, card := st.acct("checking"), st.acct("savings"), st.acct("credit_card")
	mortgage := st.acct("mortgage")
	start := st.today.AddDate(0, 0, -(historyDays - 1))
	between := func(lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }

	// Recurring streams. The first payday is the first Friday of the window.
	payday := start
	for payday.Weekday() != time.Friday {
		payday = payday.AddDate(0, 0, 1)
	}
	add := func(m string, freq string, amount float64, approx bool, cat string, a *account, day int) {
		st.streams = append(st.streams, &stream{
			id: st.newID(kindStream), merch: st.merchant(m), frequency: freq, amount: amount, approx: approx,
			cat: st.catByName[cat], acct: a, day: day, anchor: payday,
		})
	}
	add("Acme Corp Payroll", "biweekly", 3450.00, false, "Paychecks", checking, 0)
	add("Wells Fargo Home Mortgage", "monthly", -2150.00, false, "Mortgage", checking, 1)
	add("Netflix", "monthly", -15.49, false, "Streaming Services", card, 5)
	add("Spotify", "monthly", -11.99, false, "Streaming Services", card, 9)
	add("City Power & Light", "monthly", -120.00, true, "Gas & Electric", checking, 12)
	add("Comcast Xfinity", "monthly", -79.99, false, "Internet & Cable", checking, 18)
	add("Verizon Wireless", "monthly", -85.00, false, "Phone", card, 22)
	add("Planet Fitness", "monthly", -24.99, false, "Fitness", card, 15)

	vacation := st.tagNamed("Vacation")
	reimb := st.tagNamed("Reimbursable")
	taxded := st.tagNamed("Tax Deductible")
	kids := st.tagNamed("Kids")
	tripStart := st.today.AddDate(0, -4, 0)

	cardSpend := 0.0
	for day := start; !day.After(st.today); day = day.AddDate(0, 0, 1) {
		// Recurring bills and income on their schedule.
		for _, s := range st.streams {
			if !s.occursOn(day) {
				continue
			}
			amt := s.amount
			if s.approx {
				amt = s.amount * between(0.7, 1.35)
			}
			t := st.addTxn(s.acct, day, amt, s.merch.name, s.cat.name)
			t.recurring = true
			if s.acct == card {
				cardSpend += -t.amount
			}
		}
		dom := day.Day()
		switch dom {
		case 2: // savings transfer
			st.addTxn(checking, day, -500, "Transfer to Ally Savings", "Transfer")
			st.addTxn(savings, day, 500, "Transfer from Chase Checking", "Transfer")
			// The mortgage account sees the principal part of the payment.
			st.addTxn(mortgage, day, 1335.42, "Wells Fargo Home Mortgage", "Transfer")
		case 25: // card payment of the month's spending
			if cardSpend > 0 {
				st.addTxn(checking, day, -cardSpend, "Chase Card Payment", "Credit Card Payment")
				st.addTxn(card, day, cardSpend, "Payment Thank You", "Credit Card Payment")
				cardSpend = 0
			}
		}
		if day.AddDate(0, 0, 1).Day() == 1 { // month end: interest
			st.addTxn(savings, day, between(45, 70), "Ally Interest", "Interest")
		}

		var spent []*txn
		spend := func(p float64, lo, hi float64, cat string, merchants ...string) *txn {
			if rng.Float64() >= p {
				return nil
			}
			t := st.addTxn(card, day, -between(lo, hi), pick(merchants...), cat)
			spent = append(spent, t)
			return t
		}
		spend(0.33, 35, 185, "Groceries", "Whole Foods Market", "Trader Joe's", "Safeway", "Costco")
		if t := spend(0.25, 18, 95, "Restaurants & Bars", "Chipotle", "Olive Garden", "The Local Bistro", "Sushi Zen", "Shake Shack"); t != nil && rng.IntN(6) == 0 {
			t.tags = append(t.tags, reimb)
			t.notes = "Client lunch — expense report"
		}
		spend(0.45, 4.5, 12, "Coffee Shops", "Starbucks", "Blue Bottle Coffee", "Peet's Coffee")
		spend(0.14, 32, 68, "Gas", "Shell", "Chevron", "Costco Gas")
		spend(0.18, 12, 160, "Shopping", "Amazon", "Target", "Best Buy", "IKEA")
		if t := spend(0.05, 25, 120, "Clothing", "Old Navy", "Uniqlo", "Nordstrom"); t != nil && rng.IntN(2) == 0 {
			t.tags = append(t.tags, kids)
		}
		spend(0.05, 15, 80, "Entertainment & Recreation", "AMC Theatres", "Ticketmaster", "Steam")
		spend(0.03, 20, 240, "Home Improvement", "Home Depot", "Lowe's")
		if dom == 20 && day.Month()%3 == 0 {
			t := st.addTxn(card, day, -between(50, 150), "American Red Cross", "Charity")
			t.tags = append(t.tags, taxded)
			spent = append(spent, t)
		}
		if day.Month() == time.Month(1+(int(st.today.Month())+5)%12) && dom == 8 {
			t := st.addTxn(card, day, -between(280, 520), "Midas Auto Service", "Auto Maintenance")
			// The household's one receipt; its id is outside the id
			// sequence so that seeding it moves no other id.
			t.attachments = []attachment{{id: demoAttachmentID, filename: "midas-invoice.pdf", extension: "pdf", size: 48213}}
			spent = append(spent, t)
		}
		if d := int(day.Sub(tripStart).Hours() / 24); d >= 0 && d < 6 {
			var t *txn
			switch d {
			case 0:
				t = st.addTxn(card, day, -684.20, "Delta Air Lines", "Travel & Vacation")
			case 1:
				t = st.addTxn(card, day, -1240.00, "Airbnb", "Travel & Vacation")
			default:
				t = st.addTxn(card, day, -between(40, 140), pick("Beach Shack Grill", "Island Tours", "Surf Rentals"), "Travel & Vacation")
			}
			t.tags = append(t.tags, vacation)
			spent = append(spent, t)
		}
		for _, t := range spent {
			cardSpend += -t.amount
		}
	}

	// The last two days' card charges have not posted yet; a few need review.
	for _, t := range st.txns {
		if d, _ := time.Parse(isoDate, t.date); st.today.Sub(d) < 48*time.Hour && t.acct == card {
			t.pending = true
			t.review = true
		}
	}
}

// occursOn reports whether the stream has an occurrence on day.
func (s *stream) occursOn(day time.Time) bool {
	switch s.frequency {
	case "biweekly":
		d := int(day.Sub(s.anchor).Hours() / 24)
		return d%14 == 0 // negative multiples too
	default:
		last := time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return day.Day() == min(s.day, last)
	}
}

// sortedTxns returns all transactions newest first (by date, then by newest
// creation, then id), the order Monarch lists them in.
func (st *state) sortedTxns() []*txn {
	out := make([]*txn, 0, len(st.txns))
	for _, t := range st.txns {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.date != b.date {
			return a.date > b.date
		}
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.After(b.createdAt)
		}
		return a.id > b.id
	})
	return out
}
