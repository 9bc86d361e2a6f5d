using Orchestrator.Minion.StateEngine.Requisites;

namespace Orchestrator.Minion.Tests.StateEngine.Requisites;

/// <summary>
/// Salt 3006's check_requisite as a table: every kind against every outcome a target can have, in a real run
/// (True/False) and in test mode (None: "would change"), plus the multi-target and mixed-kind rules.
/// </summary>
public class RequisiteEvaluatorTests
{
    // Outcome codes: unrun = not in the run yet; ok/okc = True without/with changes; none/nonec = None (test mode)
    // without/with changes; fail/failc = False without/with changes; idle = a state skipped by onchanges/onfail
    // (True, __state_ran__ False).
    private static TargetOutcome? Outcome(string code) => code switch
    {
        "unrun" => null,
        "ok" => new TargetOutcome(true, false),
        "okc" => new TargetOutcome(true, true),
        "none" => new TargetOutcome(null, false),
        "nonec" => new TargetOutcome(null, true),
        "fail" => new TargetOutcome(false, false),
        "failc" => new TargetOutcome(false, true),
        "idle" => new TargetOutcome(true, false, StateRan: false),
        _ => throw new ArgumentException(code),
    };

    public static TheoryData<string, string, RequisiteStatus> SingleTarget()
    {
        var data = new TheoryData<string, string, RequisiteStatus>();
        void Row(string kind, params (string Outcome, RequisiteStatus Status)[] cells)
        {
            foreach (var (outcome, status) in cells)
            {
                data.Add(kind, outcome, status);
            }
        }
        foreach (var kind in new[] { "require", "require_any" })
        {
            Row(kind, ("unrun", RequisiteStatus.Unmet), ("ok", RequisiteStatus.Met), ("okc", RequisiteStatus.Met), ("none", RequisiteStatus.Met),
                ("nonec", RequisiteStatus.Met), ("fail", RequisiteStatus.Fail), ("failc", RequisiteStatus.Fail), ("idle", RequisiteStatus.Met));
        }
        foreach (var kind in new[] { "watch", "watch_any" })
        {
            Row(kind, ("unrun", RequisiteStatus.Unmet), ("ok", RequisiteStatus.Met), ("okc", RequisiteStatus.Change), ("none", RequisiteStatus.Met),
                ("nonec", RequisiteStatus.Change), ("fail", RequisiteStatus.Fail), ("failc", RequisiteStatus.Fail), ("idle", RequisiteStatus.Met));
        }
        // prereq looks at the target's test run: None = it would change (run the prereq'ing state), a result = it would not.
        Row("prereq", ("unrun", RequisiteStatus.Unmet), ("ok", RequisiteStatus.Pre), ("okc", RequisiteStatus.Pre), ("none", RequisiteStatus.Met),
            ("nonec", RequisiteStatus.Met), ("fail", RequisiteStatus.Fail), ("failc", RequisiteStatus.Fail), ("idle", RequisiteStatus.Pre));
        Row("prerequired", ("unrun", RequisiteStatus.Unmet), ("ok", RequisiteStatus.Met), ("okc", RequisiteStatus.Met), ("none", RequisiteStatus.Met),
            ("nonec", RequisiteStatus.Met), ("fail", RequisiteStatus.Fail), ("failc", RequisiteStatus.Fail), ("idle", RequisiteStatus.Met));
        // onfail fires on anything but True: a None (test mode) target counts as failed.
        foreach (var kind in new[] { "onfail", "onfail_any", "onfail_all" })
        {
            Row(kind, ("unrun", RequisiteStatus.Unmet), ("ok", RequisiteStatus.OnFail), ("okc", RequisiteStatus.OnFail), ("none", RequisiteStatus.Met),
                ("nonec", RequisiteStatus.Met), ("fail", RequisiteStatus.Met), ("failc", RequisiteStatus.Met), ("idle", RequisiteStatus.OnFail));
        }
        foreach (var kind in new[] { "onchanges", "onchanges_any" })
        {
            Row(kind, ("unrun", RequisiteStatus.Unmet), ("ok", RequisiteStatus.OnChanges), ("okc", RequisiteStatus.Met), ("none", RequisiteStatus.OnChanges),
                ("nonec", RequisiteStatus.Met), ("fail", RequisiteStatus.Fail), ("failc", RequisiteStatus.Fail), ("idle", RequisiteStatus.OnChanges));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SingleTarget))]
    public void Evaluate_OneTarget_GivesSaltsStatus(string kind, string outcome, RequisiteStatus expected)
    {
        var status = RequisiteEvaluator.Evaluate([new RequisiteGroup(RequisiteKind.Find(kind)!, [Outcome(outcome)])]);

        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("require", "ok,fail", RequisiteStatus.Fail)]
    [InlineData("require_any", "ok,fail", RequisiteStatus.Met)]
    [InlineData("require_any", "fail,fail", RequisiteStatus.Fail)]
    [InlineData("require", "ok,unrun", RequisiteStatus.Unmet)]
    [InlineData("watch", "failc,okc", RequisiteStatus.Fail)]
    [InlineData("watch_any", "failc,okc", RequisiteStatus.Change)]
    [InlineData("watch_any", "fail,ok", RequisiteStatus.Met)]
    [InlineData("onfail", "ok,fail", RequisiteStatus.Met)]
    [InlineData("onfail_any", "ok,fail", RequisiteStatus.Met)]
    [InlineData("onfail_all", "ok,fail", RequisiteStatus.OnFail)]
    [InlineData("onfail_all", "fail,failc", RequisiteStatus.Met)]
    [InlineData("onfail_all", "none,fail", RequisiteStatus.Met)]
    [InlineData("onchanges", "ok,okc", RequisiteStatus.Met)]
    [InlineData("onchanges", "ok,ok", RequisiteStatus.OnChanges)]
    [InlineData("onchanges", "fail,okc", RequisiteStatus.Fail)]
    [InlineData("onchanges_any", "fail,okc", RequisiteStatus.Met)]
    [InlineData("onchanges_any", "fail,ok", RequisiteStatus.Fail)]
    [InlineData("prereq", "none,ok", RequisiteStatus.Met)]
    [InlineData("prereq", "ok,ok", RequisiteStatus.Pre)]
    public void Evaluate_SeveralTargetsOfOneKind_CombinesAsSalt(string kind, string outcomes, RequisiteStatus expected)
    {
        var targets = outcomes.Split(',').Select(Outcome).ToList();

        var status = RequisiteEvaluator.Evaluate([new RequisiteGroup(RequisiteKind.Find(kind)!, targets)]);

        Assert.Equal(expected, status);
    }

    [Theory]
    // onchanges + onfail on one state: it runs only when both fire; Salt's last check holds it when only onchanges did.
    [InlineData("okc", "ok", RequisiteStatus.OnFail)]
    [InlineData("ok", "fail", RequisiteStatus.OnChanges)]
    [InlineData("okc", "fail", RequisiteStatus.Met)]
    [InlineData("ok", "ok", RequisiteStatus.OnFail)]
    // In test mode the onchanges target would change (None with changes) and the onfail target would succeed (None).
    [InlineData("nonec", "none", RequisiteStatus.Met)]
    [InlineData("nonec", "okc", RequisiteStatus.OnFail)]
    [InlineData("none", "none", RequisiteStatus.OnChanges)]
    public void Evaluate_OnchangesWithOnfail_RunsOnlyWhenBothFire(string onchanges, string onfail, RequisiteStatus expected)
    {
        var status = RequisiteEvaluator.Evaluate(
        [
            new RequisiteGroup(RequisiteKind.Onchanges, [Outcome(onchanges)]),
            new RequisiteGroup(RequisiteKind.Onfail, [Outcome(onfail)]),
        ]);

        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("require:ok", "watch:okc", RequisiteStatus.Change)]
    [InlineData("require:fail", "onchanges:okc", RequisiteStatus.Fail)]
    [InlineData("require:unrun", "require_any:fail", RequisiteStatus.Unmet)]
    [InlineData("watch:okc", "onchanges:ok", RequisiteStatus.OnChanges)]
    [InlineData("prereq:ok", "onchanges:ok", RequisiteStatus.Pre)]
    [InlineData("prereq:none", "watch:okc", RequisiteStatus.Change)]
    [InlineData("onfail:ok", "watch:okc", RequisiteStatus.OnFail)]
    public void Evaluate_MixedKinds_FollowsSaltsPrecedence(string first, string second, RequisiteStatus expected)
    {
        static RequisiteGroup Group(string cell)
        {
            var parts = cell.Split(':');
            return new RequisiteGroup(RequisiteKind.Find(parts[0])!, [Outcome(parts[1])]);
        }

        Assert.Equal(expected, RequisiteEvaluator.Evaluate([Group(first), Group(second)]));
    }

    [Fact]
    public void Evaluate_NoRequisites_IsMet()
    {
        Assert.Equal(RequisiteStatus.Met, RequisiteEvaluator.Evaluate([]));
        Assert.Equal(RequisiteStatus.Met, RequisiteEvaluator.Evaluate([new RequisiteGroup(RequisiteKind.Require, [])]));
    }
}
