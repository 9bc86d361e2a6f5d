namespace Orchestrator.Minion.Modules;

/// <summary>A declared parameter of a module function; positional arguments bind to parameters in declaration order.</summary>
public sealed record FunctionParameter(string Name, bool Required = false, object? Default = null, string? Doc = null)
{
    public static FunctionParameter Req(string name, string? doc = null) => new(name, true, null, doc);

    public static FunctionParameter Opt(string name, object? defaultValue = null, string? doc = null) => new(name, false, defaultValue, doc);
}
