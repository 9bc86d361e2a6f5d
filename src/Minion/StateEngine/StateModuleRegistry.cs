using System.Reflection;

namespace Orchestrator.Minion.StateEngine;

/// <summary>The state modules a minion offers, by Salt name (<c>file.managed</c>).</summary>
public sealed class StateModuleRegistry
{
    private readonly SortedDictionary<string, IStateModule> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateFunction> _functions = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IStateModule> Modules => _modules;

    public IEnumerable<string> FunctionNames => _functions.Keys.Order(StringComparer.Ordinal);

    public StateModuleRegistry Add(IStateModule module)
    {
        var name = NameOf(module.GetType());
        if (!_modules.TryAdd(name, module))
        {
            throw new InvalidOperationException($"State module '{name}' is registered twice");
        }
        foreach (var function in module.Functions)
        {
            _functions.Add($"{name}.{function.Name}", function);
        }
        return this;
    }

    public static string NameOf(Type moduleType) =>
        moduleType.GetCustomAttribute<StateModuleAttribute>()?.Name
        ?? throw new InvalidOperationException($"{moduleType.Name} has no [StateModule] attribute");

    public StateFunction? Find(string function) => _functions.GetValueOrDefault(function);

    /// <summary>True when <c>state.fun</c> exists; <c>mod_watch</c> exists for modules implementing <see cref="IWatchable"/>.</summary>
    public bool Exists(string function)
    {
        if (_functions.ContainsKey(function))
        {
            return true;
        }
        var dot = function.LastIndexOf('.');
        return dot > 0 && function[(dot + 1)..] == "mod_watch" && _modules.GetValueOrDefault(function[..dot]) is IWatchable;
    }

    public IStateModule? Module(string name) => _modules.GetValueOrDefault(name);
}
