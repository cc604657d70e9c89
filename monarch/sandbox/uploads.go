package sandbox

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// balanceUploadPath is Monarch's endpoint for balance-history CSV files.
	balanceUploadPath = "/account-balance-history/upload/"
	// maxUploadBody bounds an upload request.
	maxUploadBody = 4 << 20
)

// upload is a balance-history upload session. Its status goes "uploaded"
// (file received) → "processing" (parse requested) → "completed" (on the
// first status poll after that, when the balances are applied), so clients
// must poll as they do with Monarch.
type upload struct {
	key    string
	acct   *account
	rows   []balanceRow
	status string
}

type balanceRow struct {
	date    string
	balance float64
}

// serveBalanceUpload implements POST /account-balance-history/upload/: a
// multipart form with the CSV in "files" and "account_files_mapping", a
// JSON object from the file's name to the account id. It answers
// {"session_key": …}.
func (s *Sandbox) serveBalanceUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		writeJSON(w, http.StatusMethodNotAllowed, detail("Method \""+r.Method+"\" not allowed.", ""))
		return
	}
	s.lock()
	s.st.requestsTotal++
	s.st.requests[balanceUploadPath]++
	fail := s.authenticateLocked(r)
	s.mu.Unlock()
	if fail != nil {
		writeJSON(w, fail.status, fail.body)
		return
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "multipart/form-data" {
		writeJSON(w, http.StatusUnsupportedMediaType, detail(fmt.Sprintf("Unsupported media type %q in request.", ct), ""))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	if err := r.ParseMultipartForm(maxUploadBody); err != nil {
		writeJSON(w, http.StatusBadRequest, detail("Multipart form parse error.", ""))
		return
	}
	files := r.MultipartForm.File["files"]
	if len(files) != 1 {
		writeJSON(w, http.StatusBadRequest, detail("Upload exactly one file in \"files\".", ""))
		return
	}
	var mapping map[string]string
	if err := json.Unmarshal([]byte(r.FormValue("account_files_mapping")), &mapping); err != nil {
		writeJSON(w, http.StatusBadRequest, detail("account_files_mapping must be a JSON object.", ""))
		return
	}
	acctID := mapping[files[0].Filename]
	f, err := files[0].Open()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, detail("Could not read the file.", ""))
		return
	}
	defer f.Close()
	rows, err := parseBalanceCSV(f)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, detail(err.Error(), ""))
		return
	}

	s.lock()
	defer s.mu.Unlock()
	a := s.st.accByID[acctID]
	if a == nil {
		writeJSON(w, http.StatusBadRequest, detail("Account not found: "+acctID, ""))
		return
	}
	u := &upload{key: randomHex(16), acct: a, rows: rows, status: "uploaded"}
	s.st.uploads[u.key] = u
	writeJSON(w, http.StatusOK, map[string]any{"session_key": u.key})
}

// parseBalanceCSV reads Monarch's balance-history CSV: a header naming
// Date and Amount columns (Account Name is optional), then one row a day.
func parseBalanceCSV(r io.Reader) ([]balanceRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, errors.New("The file is empty or not CSV.")
	}
	dateCol, amountCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "date":
			dateCol = i
		case "amount", "balance":
			amountCol = i
		}
	}
	if dateCol < 0 || amountCol < 0 {
		return nil, errors.New("The file needs Date and Amount columns.")
	}
	var rows []balanceRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil || len(rec) <= max(dateCol, amountCol) {
			return nil, fmt.Errorf("Row %d is malformed.", line)
		}
		d, err := time.Parse(isoDate, strings.TrimSpace(rec[dateCol]))
		if err != nil {
			return nil, fmt.Errorf("Row %d: invalid date.", line)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[amountCol]), 64)
		if err != nil {
			return nil, fmt.Errorf("Row %d: invalid amount.", line)
		}
		rows = append(rows, balanceRow{date: d.Format(isoDate), balance: round2(v)})
	}
	if len(rows) == 0 {
		return nil, errors.New("The file has no rows.")
	}
	return rows, nil
}

func renderUpload(u *upload) obj {
	return obj{"sessionKey": u.key, "status": u.status, "__typename": "UploadBalanceHistorySession"}
}

func opParseBalanceUpload(s *Sandbox, v vars) (any, error) {
	u := s.st.uploads[v.obj("input").str("sessionKey")]
	if u == nil {
		return nil, &requestError{"Upload session not found.", "NOT_FOUND"}
	}
	if u.status == "uploaded" {
		u.status = "processing"
	}
	return obj{"parseBalanceHistory": obj{"uploadBalanceHistorySession": renderUpload(u), "__typename": "ParseBalanceHistory"}}, nil
}

func opBalanceUploadSession(s *Sandbox, v vars) (any, error) {
	u := s.st.uploads[v.str("sessionKey")]
	if u == nil {
		return nil, &requestError{"Upload session not found.", "NOT_FOUND"}
	}
	if u.status == "processing" {
		m := s.st.balances[u.acct.id]
		if m == nil {
			m = map[string]float64{}
			s.st.balances[u.acct.id] = m
		}
		for _, r := range u.rows {
			m[r.date] = r.balance
		}
		u.status = "completed"
	}
	return obj{"uploadBalanceHistorySession": renderUpload(u)}, nil
}
