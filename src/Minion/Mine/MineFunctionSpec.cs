namespace Orchestrator.Minion.Mine;

/// <summary>One entry of <c>mine_functions</c>, parsed as Salt's <c>parse_function_definition</c> does.</summary>
/// <param name="Alias">The key under <c>mine_functions</c>: what the data is stored and read by.</param>
/// <param name="Function">The execution function to run: <c>mine_function</c> when given, else the alias.</param>
/// <param name="Args">Positional arguments.</param>
/// <param name="Kwargs">Keyword arguments (without <c>mine_function</c>, <c>allow_tgt</c>, <c>allow_tgt_type</c>).</param>
/// <param name="AllowTgt">Which minions may read this entry (Salt 3000+ minion-side ACL); null for all.</param>
/// <param name="AllowTgtType">The target type of <paramref name="AllowTgt"/>; null for glob.</param>
/// <param name="Aliased">Whether <c>mine_function</c> named the function (then <c>mine.valid</c> shows it).</param>
public sealed record MineFunctionSpec(
    string Alias,
    string Function,
    List<object?> Args,
    Dictionary<string, object?> Kwargs,
    string? AllowTgt,
    string? AllowTgtType,
    bool Aliased);
