namespace Orchestrator.Shared.Commands;

/// <summary>
/// One command-line option: its spellings (the long one is the canonical name the commands look up), the name of its value
/// (null for a switch), the verbs that accept it, and its help line.
/// </summary>
/// <param name="Names">The spellings, short first.</param>
/// <param name="ValueName">The value's name in the help, or null for a switch.</param>
/// <param name="Verbs">The verbs that accept the option.</param>
/// <param name="Help">The help line.</param>
public sealed record OptionSpec(string[] Names, string? ValueName, CliVerb Verbs, string Help)
{
    /// <summary>The long spelling (or the only one): what commands look the option up by.</summary>
    public string Canonical => Names.FirstOrDefault(n => n.StartsWith("--", StringComparison.Ordinal)) ?? Names[0];

    /// <summary>Whether the option takes a value.</summary>
    public bool TakesValue => ValueName is not null;
}
