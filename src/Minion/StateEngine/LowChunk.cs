using Orchestrator.Shared.Data;
using Orchestrator.Minion.StateEngine.Requisites;

namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// A compiled low chunk with the fields the engine reads typed once (state, function, ID, name, SLS, tag) over Salt's
/// dictionary form, which stays what state functions see as <c>__low__</c> and what <c>show_lowstate</c> prints.
/// The two prereq flags Salt keeps in the dictionary while it runs (<c>__prereq__</c>, <c>__prerequired__</c>) live here.
/// </summary>
public sealed class LowChunk
{
    public LowChunk(Dictionary<string, object?> data, int position)
    {
        Data = data;
        Position = position;
        State = PyText.Str(data.GetValueOrDefault("state"));
        Function = PyText.Str(data.GetValueOrDefault("fun"));
        Id = PyText.Str(data.GetValueOrDefault("__id__"));
        Name = PyText.Str(data.GetValueOrDefault("name"));
        Sls = PyText.Str(data.GetValueOrDefault("__sls__"));
        Tag = $"{State}_|-{Id}_|-{Name}_|-{Function}";
    }

    public Dictionary<string, object?> Data { get; }

    /// <summary>Index in the ordered chunk list (Salt's run order before requisites).</summary>
    public int Position { get; }

    public string State { get; }

    public string Function { get; }

    public string Id { get; }

    public string Name { get; }

    public string Sls { get; }

    /// <summary>Salt's <c>state_|-id_|-name_|-fun</c> key of the chunk's return.</summary>
    public string Tag { get; }

    /// <summary>
    /// The requisite references the chunk declares, by kind in <see cref="RequisiteKind.Edges"/> order, as read when its
    /// <see cref="RequisiteGraph"/> was built (after <c>watch</c> became <c>require</c> for a state without <c>mod_watch</c>).
    /// </summary>
    public IReadOnlyList<(RequisiteKind Kind, RequisiteReference Reference)> Requisites { get; internal set; } = [];

    /// <summary>Salt's <c>__prereq__</c>: the next call of this chunk is its test run for a state that prereqs it.</summary>
    public bool PrereqTestRun { get; set; }

    /// <summary>Salt's <c>__prerequired__</c>: a state prereqs this one and is waiting for this chunk's test run.</summary>
    public bool AwaitedByPrereq { get; set; }

    /// <summary>Whether the chunk carries a <c>prerequired</c> list (Salt leaves such chunks out of its active set).</summary>
    public bool IsPrereqTarget => DataTree.IsTruthy(Data.GetValueOrDefault("prerequired"));

    public object? this[string key] => Data.GetValueOrDefault(key);

    public bool Has(string key) => Data.ContainsKey(key);

    public static string TagOf(IReadOnlyDictionary<string, object?> low) =>
        $"{PyText.Str(low.GetValueOrDefault("state"))}_|-{PyText.Str(low.GetValueOrDefault("__id__"))}_|-{PyText.Str(low.GetValueOrDefault("name"))}_|-{PyText.Str(low.GetValueOrDefault("fun"))}";

    public override string ToString() => Tag;
}
