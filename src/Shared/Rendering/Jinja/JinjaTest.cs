namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>A test registered with <see cref="JinjaEnvironment.AddTest"/>: <c>{% if value is name(args) %}</c>.</summary>
/// <param name="value">The tested value.</param>
/// <param name="args">The positional test arguments.</param>
/// <param name="kwargs">The keyword test arguments.</param>
/// <returns>Whether the value passes the test.</returns>
public delegate bool JinjaTest(object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs);
