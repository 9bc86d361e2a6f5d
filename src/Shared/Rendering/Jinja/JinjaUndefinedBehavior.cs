namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>What using an undefined variable does.</summary>
public enum JinjaUndefinedBehavior
{
    /// <summary>Jinja2's <c>StrictUndefined</c>, which Salt uses: printing, iterating, testing or comparing an undefined value fails the render.</summary>
    Strict,

    /// <summary>Jinja2's default <c>Undefined</c>: prints as an empty string, iterates as empty and is false; attribute access still fails.</summary>
    Lenient,
}
