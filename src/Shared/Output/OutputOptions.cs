namespace Orchestrator.Shared.Output;

/// <summary>Settings shared by the outputters (Salt's <c>color</c>, <c>--static</c>, <c>--out-indent</c>, <c>nested_indent</c>...).</summary>
public sealed record OutputOptions
{
    /// <summary>No colour, not static, Salt's default indentation.</summary>
    public static OutputOptions Default { get; } = new();

    /// <summary>Emit ANSI colour codes (Salt's <c>color</c>; the CLI turns it off for pipes and <c>--no-color</c>).</summary>
    public bool Color { get; init; }

    /// <summary>The job's return code; when non-zero the nested outputter draws keys and list markers in red, as Salt does.</summary>
    public int Retcode { get; init; }

    /// <summary><c>--static</c>: print the whole map as one document. When <c>false</c>, a map with several minions is printed
    /// as Salt prints returns as they arrive: one document per minion, in the map's order.</summary>
    public bool Static { get; init; }

    /// <summary><c>--out-indent</c> / <c>output_indent</c>: <c>null</c> for Salt's default (4 for JSON, 2 for YAML); a negative
    /// value puts each JSON document on one line; YAML accepts 2 to 9.</summary>
    public int? Indent { get; init; }

    /// <summary>Salt's <c>nested_indent</c>: spaces before every line of nested output.</summary>
    public int NestedIndent { get; init; }

    /// <summary>Salt's <c>strip_colors</c>: replace ESC characters inside returned strings with <c>?</c> in nested output, so a
    /// return cannot drive the terminal.</summary>
    public bool StripColors { get; init; } = true;

    /// <summary>The highstate outputter's detail: full, terse, mixed or changes (<c>--state-output</c>).</summary>
    public string StateOutput { get; init; } = "full";

    /// <summary>When false, the highstate outputter hides states that succeeded without changes (<c>--state-verbose=False</c>).</summary>
    public bool StateVerbose { get; init; } = true;
}
