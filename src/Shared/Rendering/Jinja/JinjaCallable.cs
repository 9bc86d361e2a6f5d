namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>A host function a template can call, such as <c>salt['cmd.run']('ls')</c> or a registered global.</summary>
/// <param name="args">The positional arguments, already evaluated (data-model values).</param>
/// <param name="kwargs">The keyword arguments, already evaluated.</param>
/// <returns>The call's result as a data-model value (or another callable / indexable).</returns>
public delegate object? JinjaCallable(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs);
