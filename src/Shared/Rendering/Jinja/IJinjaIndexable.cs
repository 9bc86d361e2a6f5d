namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>A context value that resolves <c>value[key]</c> and <c>value.key</c> lazily, the way Salt's <c>salt</c> mapping does.</summary>
/// <remarks>
/// Items are typically <see cref="JinjaCallable"/> values, so <c>salt['grains.get']('os')</c> works. Dotted attribute chains
/// such as <c>salt.cmd.run</c> are resolved by joining the names with <c>.</c> and asking for <c>cmd.run</c>.
/// Implementations must be safe to call from several renders at once.
/// </remarks>
public interface IJinjaIndexable
{
    /// <summary>Looks up one item.</summary>
    /// <param name="key">The subscript (usually a string).</param>
    /// <param name="value">The item when found.</param>
    /// <returns><c>true</c> when the key exists.</returns>
    bool TryGetItem(object? key, out object? value);
}
