package monarch

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

const (
	// balanceUploadPath is Monarch's endpoint for balance-history CSV files
	// (a REST endpoint next to /graphql).
	balanceUploadPath = "/account-balance-history/upload/"
	// balanceUploadOp names the upload in errors and logs.
	balanceUploadOp = "balance history upload"
	// uploadFileName is the file name sent; account_files_mapping maps it
	// to the account.
	uploadFileName = "upload.csv"
	// Polling the upload session: first wait, longest wait, and how long to
	// wait in all before reporting the upload as still processing.
	uploadPollFirst = 250 * time.Millisecond
	uploadPollMax   = 2 * time.Second
	uploadWait      = time.Minute
	// UploadStatusCompleted is the session status once Monarch has applied
	// the balances.
	UploadStatusCompleted = "completed"
)

// BalanceRow is one day's balance for [Client.UploadBalanceHistory]. Date is
// YYYY-MM-DD; Balance is signed (negative for liabilities) and rounded to
// cents.
type BalanceRow struct {
	Date    string
	Balance float64
}

// BalanceUpload is the outcome of an upload: its session, the session's
// last status, and whether Monarch finished applying it within the wait.
type BalanceUpload struct {
	SessionKey string
	Status     string
	Completed  bool
}

// UploadBalanceHistory replaces accountID's balances on the given dates:
// it uploads them as a CSV file (multipart POST), asks Monarch to parse the
// upload and polls the upload session until it completes, the wait (a
// minute) ends, or ctx is done. Rows must have valid, distinct dates and
// finite balances; they are checked before anything is sent.
//
// The upload is not re-sent once it may have reached Monarch; a retried
// call (e.g. after a re-login) starts a new upload of the same rows, which
// sets the same balances.
func (c *Client) UploadBalanceHistory(ctx context.Context, accountID string, rows []BalanceRow) (BalanceUpload, error) {
	if accountID == "" {
		return BalanceUpload{}, fmt.Errorf("monarch: UploadBalanceHistory: accountID is empty")
	}
	if len(rows) == 0 {
		return BalanceUpload{}, fmt.Errorf("monarch: UploadBalanceHistory: no rows")
	}
	seen := make(map[string]bool, len(rows))
	for i, r := range rows {
		if err := checkDate(fmt.Sprintf("rows[%d].Date", i), r.Date); err != nil {
			return BalanceUpload{}, err
		}
		if math.IsNaN(r.Balance) || math.IsInf(r.Balance, 0) {
			return BalanceUpload{}, fmt.Errorf("monarch: UploadBalanceHistory: rows[%d].Balance is not a number", i)
		}
		if seen[r.Date] {
			return BalanceUpload{}, fmt.Errorf("monarch: UploadBalanceHistory: date %s appears twice", r.Date)
		}
		seen[r.Date] = true
	}
	key, err := c.postBalanceCSV(ctx, accountID, rows)
	if err != nil {
		return BalanceUpload{}, err
	}
	var parsed struct {
		Parse *struct {
			Session *uploadSession `json:"uploadBalanceHistorySession"`
		} `json:"parseBalanceHistory"`
	}
	if err := c.graphQL(ctx, opParseBalanceUpload, map[string]any{"input": map[string]any{"sessionKey": key}}, &parsed); err != nil {
		return BalanceUpload{}, err
	}
	if parsed.Parse == nil || parsed.Parse.Session == nil {
		return BalanceUpload{}, &UnexpectedResponseError{Operation: opParseBalanceUpload.name, Reason: "the answer has no parseBalanceHistory.uploadBalanceHistorySession"}
	}
	res := BalanceUpload{SessionKey: key, Status: parsed.Parse.Session.Status}
	if err := uploadFailed(opParseBalanceUpload, res.Status); err != nil {
		return res, err
	}
	deadline := time.Now().Add(uploadWait)
	for wait := uploadPollFirst; res.Status != UploadStatusCompleted && time.Now().Before(deadline); wait = min(2*wait, uploadPollMax) {
		if err := reauth.Sleep(ctx, wait); err != nil {
			return res, fmt.Errorf("monarch: waiting for the balance upload: %w", err)
		}
		var st struct {
			Session *uploadSession `json:"uploadBalanceHistorySession"`
		}
		if err := c.graphQL(ctx, opBalanceUploadState, map[string]any{"sessionKey": key}, &st); err != nil {
			return res, err
		}
		if st.Session == nil {
			return res, &UnexpectedResponseError{Operation: opBalanceUploadState.name, Reason: "the answer has no uploadBalanceHistorySession"}
		}
		res.Status = st.Session.Status
		if err := uploadFailed(opBalanceUploadState, res.Status); err != nil {
			return res, err
		}
	}
	res.Completed = res.Status == UploadStatusCompleted
	return res, nil
}

// uploadFailed turns a failed upload session's status into an error. Any
// status that speaks of failure or error counts, so that an unforeseen
// spelling ends the wait instead of polling for the full minute.
func uploadFailed(o operation, status string) error {
	s := strings.ToLower(status)
	if !strings.Contains(s, "fail") && !strings.Contains(s, "error") {
		return nil
	}
	return &GraphQLError{Operation: o.name, Messages: []string{"Monarch could not process the balance upload (status " + status + ")"}}
}

// uploadSession is Monarch's UploadBalanceHistorySession.
type uploadSession struct {
	SessionKey string `json:"sessionKey"`
	Status     string `json:"status"`
}

// UnmarshalJSON requires status.
func (u *uploadSession) UnmarshalJSON(b []byte) error {
	var w struct {
		SessionKey string  `json:"sessionKey"`
		Status     *string `json:"status"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := require("an upload session", "status", w.Status == nil); err != nil {
		return err
	}
	*u = uploadSession{SessionKey: w.SessionKey, Status: *w.Status}
	return nil
}

// balanceCSV writes rows in the layout of Monarch's balance-history import:
// a Date, Amount, Account Name header and one row per day.
func balanceCSV(rows []BalanceRow) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"Date", "Amount", "Account Name"})
	for _, r := range rows {
		_ = w.Write([]string{r.Date, strconv.FormatFloat(math.Round(r.Balance*100)/100, 'f', 2, 64), ""})
	}
	w.Flush() // writes to a bytes.Buffer cannot fail
	return b.Bytes()
}

// postBalanceCSV uploads the CSV and returns Monarch's session key.
func (c *Client) postBalanceCSV(ctx context.Context, accountID string, rows []BalanceRow) (string, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="files"; filename="`+uploadFileName+`"`)
	h.Set("Content-Type", "text/csv")
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(balanceCSV(rows))
	}
	if err == nil {
		mapping, _ := json.Marshal(map[string]string{uploadFileName: accountID})
		err = mw.WriteField("account_files_mapping", string(mapping))
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return "", fmt.Errorf("monarch %s: build request: %w", balanceUploadOp, err)
	}

	// Never re-sent once it may have reached Monarch: it applies balances.
	x, err := c.post(ctx, balanceUploadOp, balanceUploadPath, body.Bytes(), atMostOnce, func(h http.Header) {
		// Monarch answers "Unsupported Media Type" to the JSON Accept and
		// Content-Type the GraphQL requests carry.
		h.Del("Accept")
		h.Set("Content-Type", mw.FormDataContentType())
	})
	if err != nil {
		return "", err
	}
	resp, raw, attempts := x.resp, x.raw, x.attempts
	var out struct {
		SessionKey *string `json:"session_key"`
		Detail     any     `json:"detail"`
	}
	jsonErr := json.Unmarshal(raw, &out)
	if resp.StatusCode != http.StatusOK {
		he := &HTTPError{Operation: balanceUploadOp, StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp), Attempts: attempts}
		if jsonErr == nil {
			he.Detail = detailText(out.Detail)
		}
		return "", he
	}
	if jsonErr != nil {
		return "", &UnexpectedResponseError{Operation: balanceUploadOp, Reason: "the answer is not valid JSON (" + jsonReason(jsonErr) + ")"}
	}
	if out.SessionKey == nil || *out.SessionKey == "" {
		return "", &UnexpectedResponseError{Operation: balanceUploadOp, Reason: "the answer has no session_key"}
	}
	return *out.SessionKey, nil
}
