namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>A filter registered with <see cref="JinjaEnvironment.AddFilter"/>: <c>{{ value|name(args) }}</c>.</summary>
/// <param name="value">The filtered value.</param>
/// <param name="args">The positional filter arguments.</param>
/// <param name="kwargs">The keyword filter arguments.</param>
/// <returns>The filtered value.</returns>
public delegate object? JinjaFilter(object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs);
