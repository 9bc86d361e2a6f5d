namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// Salt 3006's <c>check_requisite</c> decision as a pure function: each target adds signals to its kind's set, the
/// <c>_any</c>/<c>_all</c> forms then drop the signals one target's success (or failure) outweighs, and the union of all
/// sets decides the status by a fixed precedence (unmet, fail, prereq, onfail, onchanges, change, onfail, met).
/// </summary>
public static class RequisiteEvaluator
{
    [Flags]
    private enum Signal
    {
        None = 0,
        Unmet = 1 << 0,
        Fail = 1 << 1,
        OnfailIdle = 1 << 2,
        OnchangesIdle = 1 << 3,
        OnchangesMet = 1 << 4,
        Change = 1 << 5,
        PrereqWouldChange = 1 << 6,
        PrereqIdle = 1 << 7,
        Met = 1 << 8,
    }

    public static RequisiteStatus Evaluate(IEnumerable<RequisiteGroup> groups)
    {
        var all = Signal.None;
        foreach (var group in groups)
        {
            all |= GroupSignals(group);
        }
        return Decide(all);
    }

    private static Signal GroupSignals(RequisiteGroup group)
    {
        var family = group.Kind.Family;
        var signals = Signal.None;
        foreach (var target in group.Targets)
        {
            signals |= TargetSignals(family, target);
        }
        if (group.Kind.Match == RequisiteMatch.Any || group.Kind == RequisiteKind.Onfail)
        {
            if ((signals & (Signal.Met | Signal.Change)) != 0)
            {
                signals &= ~Signal.Fail;
            }
            if (signals.HasFlag(Signal.OnchangesMet))
            {
                signals &= ~(Signal.OnchangesIdle | Signal.Fail);
            }
            // For onfail, a met target is a failed one: one failure satisfies the requisite.
            if (signals.HasFlag(Signal.OnfailIdle) && signals.HasFlag(Signal.Met))
            {
                signals &= ~Signal.OnfailIdle;
            }
        }
        if (group.Kind.Match == RequisiteMatch.All && signals.HasFlag(Signal.OnfailIdle))
        {
            // One target that did not fail spoils onfail_all.
            signals &= ~Signal.Met;
        }
        return signals;
    }

    private static Signal TargetSignals(RequisiteFamily family, TargetOutcome? outcome)
    {
        if (outcome is not { } target)
        {
            return Signal.Unmet;
        }
        if (family == RequisiteFamily.Onfail)
        {
            if (target.Result is true)
            {
                return Signal.OnfailIdle;
            }
        }
        else if (target.Result is false)
        {
            return Signal.Fail;
        }
        if (family == RequisiteFamily.Onchanges)
        {
            return target.Changed ? Signal.OnchangesMet : Signal.OnchangesIdle;
        }
        if (family == RequisiteFamily.Watch && target.Changed)
        {
            return Signal.Change;
        }
        if (family == RequisiteFamily.Prereq)
        {
            // The prereq'd target's test run: None means it would change something (run this state first); a result
            // means it would not (this state is skipped). A None also counts as met, as in Salt.
            if (target.Result is not null)
            {
                return Signal.PrereqIdle;
            }
            return Signal.PrereqWouldChange | (target.StateRan ? Signal.Met : Signal.None);
        }
        if (family == RequisiteFamily.Prerequired && target.Result is not null)
        {
            return Signal.None;
        }
        return target.StateRan ? Signal.Met : Signal.None;
    }

    private static RequisiteStatus Decide(Signal all)
    {
        if (all.HasFlag(Signal.Unmet))
        {
            return RequisiteStatus.Unmet;
        }
        if (all.HasFlag(Signal.Fail))
        {
            return RequisiteStatus.Fail;
        }
        if (all.HasFlag(Signal.PrereqIdle))
        {
            return all.HasFlag(Signal.PrereqWouldChange) ? RequisiteStatus.Met : RequisiteStatus.Pre;
        }
        var onchangesMet = all.HasFlag(Signal.OnchangesMet);
        if (all.HasFlag(Signal.OnfailIdle) && !onchangesMet)
        {
            return RequisiteStatus.OnFail;
        }
        if (all.HasFlag(Signal.OnchangesIdle) && !onchangesMet)
        {
            return RequisiteStatus.OnChanges;
        }
        if (all.HasFlag(Signal.Change))
        {
            return RequisiteStatus.Change;
        }
        // Salt 3006's last check: an onfail that did not fire still holds a state even when its onchanges fired.
        if (all.HasFlag(Signal.OnfailIdle))
        {
            return RequisiteStatus.OnFail;
        }
        return RequisiteStatus.Met;
    }
}
