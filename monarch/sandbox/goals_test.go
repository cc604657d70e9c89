package sandbox

import "testing"

// TestGoalsState checks that goal writes show in both models' reads and
// that the model switch changes what the household reports.
func TestGoalsState(t *testing.T) {
	sb := start(t, Options{})
	tok := creds{token: sb.IssueToken()}
	sb.lock()
	ally, chk := sb.st.acct("savings").id, sb.st.acct("checking").id
	sb.mu.Unlock()

	if m := path(data(t, sb, tok, "Web_GetGoalsModel", nil), "migratedToSavingsGoals"); m != true {
		t.Fatalf("default model: migratedToSavingsGoals = %v, want true", m)
	}
	sb.SetSavingsGoals(false)
	if m := path(data(t, sb, tok, "Web_GetGoalsModel", nil), "migratedToSavingsGoals"); m != false {
		t.Fatalf("after SetSavingsGoals(false): %v", m)
	}

	goals := path(data(t, sb, tok, "Web_GetSavingsGoals", nil), "savingsGoals").([]any)
	if len(goals) != 2 || path(goals[0], "name") != "Emergency fund" || path(goals[0], "linkedAccounts", 0, "id") != ally {
		t.Fatalf("demo goals: %v", goals)
	}
	id := path(goals[0], "id").(string)
	before := path(goals[0], "currentBalance").(float64)

	d := data(t, sb, tok, "Web_CreateSavingsGoalContribution", map[string]any{"input": map[string]any{"id": id, "accountId": chk, "amount": 100.0}})
	if got := path(d, "createSavingsGoalContribution", "goalEvent", "goal", "currentBalance"); got != before+100 {
		t.Fatalf("after contribution: balance %v, want %v (%v)", got, before+100, d)
	}
	d = data(t, sb, tok, "Web_CreateSavingsGoalWithdrawal", map[string]any{"input": map[string]any{"id": id, "accountId": chk, "amount": 150.0}})
	if path(d, "createSavingsGoalWithdrawal", "errors", "code") != "BAD_USER_INPUT" {
		t.Fatalf("withdrawing more than the account put in: %v", d)
	}
	v2 := path(data(t, sb, tok, "Web_GetGoalsV2", nil), "goalsV2").([]any)
	if path(v2, 0, "currentAmount") != before+100 || len(path(v2, 0, "accountAllocations").([]any)) != 2 {
		t.Fatalf("contribution not visible in goalsV2: %v", v2[0])
	}

	d = data(t, sb, tok, "Web_DeleteGoalV2", map[string]any{"input": map[string]any{"id": id}})
	if path(d, "deleteGoalV2", "success") != true {
		t.Fatalf("delete: %v", d)
	}
	if n := len(path(data(t, sb, tok, "Web_GetSavingsGoals", nil), "savingsGoals").([]any)); n != 1 {
		t.Fatalf("%d goals after delete, want 1", n)
	}
	d = data(t, sb, tok, "Web_UpdateSavingsGoal", map[string]any{"input": map[string]any{"id": id, "name": "x"}})
	if path(d, "updateSavingsGoal", "errors", "code") != "NOT_FOUND" {
		t.Fatalf("update of a deleted goal: %v", d)
	}
}
