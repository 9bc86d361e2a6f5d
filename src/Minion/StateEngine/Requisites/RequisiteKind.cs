namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// One requisite keyword of Salt's state system (<c>require</c>, <c>watch_any</c>, <c>onfail_all</c>, ...): its family, its
/// <c>_any</c>/<c>_all</c> form, whether an <c>_in</c> form exists, and its weight (Salt 3007's <c>RequisiteType</c>
/// precedence). Every place that names a requisite kind uses these instances instead of spelling the names out.
/// </summary>
public sealed class RequisiteKind
{
    private static readonly Dictionary<string, RequisiteKind> _byName = new(StringComparer.Ordinal);

    private RequisiteKind(string name, RequisiteFamily family, RequisiteMatch match, int weight, bool hasInForm, bool evaluated)
    {
        Name = name;
        Family = family;
        Match = match;
        Weight = weight;
        InName = hasInForm ? name + "_in" : null;
        IsEvaluated = evaluated;
        _byName[name] = this;
    }

    public static readonly RequisiteKind Onfail = new("onfail", RequisiteFamily.Onfail, RequisiteMatch.Each, 0, true, true);
    public static readonly RequisiteKind OnfailAny = new("onfail_any", RequisiteFamily.Onfail, RequisiteMatch.Any, 1, false, true);
    public static readonly RequisiteKind OnfailAll = new("onfail_all", RequisiteFamily.Onfail, RequisiteMatch.All, 2, false, true);
    public static readonly RequisiteKind Require = new("require", RequisiteFamily.Require, RequisiteMatch.Each, 3, true, true);
    public static readonly RequisiteKind RequireAny = new("require_any", RequisiteFamily.Require, RequisiteMatch.Any, 4, false, true);
    public static readonly RequisiteKind Onchanges = new("onchanges", RequisiteFamily.Onchanges, RequisiteMatch.Each, 5, true, true);
    public static readonly RequisiteKind OnchangesAny = new("onchanges_any", RequisiteFamily.Onchanges, RequisiteMatch.Any, 6, false, true);
    public static readonly RequisiteKind Watch = new("watch", RequisiteFamily.Watch, RequisiteMatch.Each, 7, true, true);
    public static readonly RequisiteKind WatchAny = new("watch_any", RequisiteFamily.Watch, RequisiteMatch.Any, 8, false, true);
    public static readonly RequisiteKind Prereq = new("prereq", RequisiteFamily.Prereq, RequisiteMatch.Each, 9, true, true);
    public static readonly RequisiteKind Prerequired = new("prerequired", RequisiteFamily.Prerequired, RequisiteMatch.Each, 10, false, false);
    public static readonly RequisiteKind Listen = new("listen", RequisiteFamily.Listen, RequisiteMatch.Each, 11, true, false);
    public static readonly RequisiteKind Use = new("use", RequisiteFamily.Use, RequisiteMatch.Each, 12, true, false);
    public static readonly RequisiteKind OnfailStop = new("onfail_stop", RequisiteFamily.OnfailStop, RequisiteMatch.Each, 13, false, false);

    /// <summary>The keyword as written in SLS (<c>require_any</c>).</summary>
    public string Name { get; }

    public RequisiteFamily Family { get; }

    public RequisiteMatch Match { get; }

    /// <summary>Salt 3007's precedence (lower first); used to order edges of different kinds between the same states.</summary>
    public int Weight { get; }

    /// <summary>The reverse form (<c>require_in</c>), or null when Salt has none (<c>_any</c>, <c>_all</c>, <c>prerequired</c>).</summary>
    public string? InName { get; }

    /// <summary>
    /// Whether the requisite decides, before a state runs, if and how it runs (Salt's <c>check_requisite</c> kinds);
    /// <c>prerequired</c> is evaluated too, but only outside a prereq test run, so it is not in this set.
    /// </summary>
    public bool IsEvaluated { get; }

    /// <summary>The kinds Salt's <c>check_requisite</c> evaluates, in its order.</summary>
    public static IReadOnlyList<RequisiteKind> Evaluated { get; } = [Require, RequireAny, Watch, WatchAny, Prereq, Onfail, OnfailAny, OnfailAll, Onchanges, OnchangesAny];

    private static readonly HashSet<RequisiteKind> _runFirst = [Require, RequireAny, Watch, WatchAny, Prereq, Onfail, OnfailAny, Onchanges, OnchangesAny];
    private static readonly HashSet<RequisiteKind> _runFirstWithPrerequired = [.. _runFirst, Prerequired];

    /// <summary>
    /// The kinds whose targets Salt's <c>call_chunk</c> runs before a state whose requisites are unmet (<c>prerequired</c>
    /// too, except in the target's own prereq test run). Salt 3006 leaves <c>onfail_all</c> out: its targets must have
    /// run already (come earlier in the order), or the state ends as a recursive requisite.
    /// </summary>
    public static IReadOnlySet<RequisiteKind> RunFirst(bool prereqTest) => prereqTest ? _runFirst : _runFirstWithPrerequired;

    /// <summary>
    /// The kinds resolved to target chunks by name, ID or SLS glob. <c>listen</c> is not among them: it matches exactly,
    /// by state and ID or name, and is resolved into <see cref="ListenLink"/>s.
    /// </summary>
    public static IReadOnlyList<RequisiteKind> Edges { get; } = [.. Evaluated, Prerequired, Use];

    /// <summary>The names of the direct kinds Salt's <c>verify_high</c> checks for a two-state recursive requisite.</summary>
    public static IReadOnlySet<string> VerifiedInHigh { get; } = new HashSet<string>([Require.Name, Watch.Name, Prereq.Name, Onchanges.Name], StringComparer.Ordinal);

    /// <summary>Every requisite keyword and <c>_in</c> form: none of them reaches a state function.</summary>
    public static IReadOnlySet<string> Keywords { get; } = new HashSet<string>(
        _byName.Values.SelectMany(k => k.InName is null ? [k.Name] : new[] { k.Name, k.InName }), StringComparer.Ordinal);

    /// <summary>The keywords Salt's <c>requisite_in</c> folds into their targets (the <c>_in</c> forms, <c>prereq</c>, <c>use</c>).</summary>
    public static IReadOnlySet<string> FoldedAtCompile { get; } = new HashSet<string>(
        new[] { Require.InName!, Watch.InName!, Onfail.InName!, Onchanges.InName!, Use.Name, Use.InName!, Prereq.Name, Prereq.InName! },
        StringComparer.Ordinal);

    public static RequisiteKind? Find(string name) => _byName.GetValueOrDefault(name);

    public override string ToString() => Name;
}
