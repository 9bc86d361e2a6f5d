using System.Reflection;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules;

/// <summary>
/// The execution modules a minion offers, by Salt name, and the one place arguments are bound and failures turned into clean
/// returns.
/// </summary>
public sealed class ExecutionModuleRegistry : IModuleInvoker
{
    private readonly SortedDictionary<string, IExecutionModule> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModuleFunction> _functions = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IExecutionModule> Modules => _modules;

    public IEnumerable<string> FunctionNames => _functions.Keys.Order(StringComparer.Ordinal);

    public ExecutionModuleRegistry Add(IExecutionModule module)
    {
        var name = NameOf(module.GetType());
        if (!_modules.TryAdd(name, module))
        {
            throw new InvalidOperationException($"Execution module '{name}' is registered twice");
        }
        foreach (var function in module.Functions)
        {
            _functions.Add($"{name}.{function.Name}", function);
        }
        return this;
    }

    /// <summary>The Salt name declared by <see cref="ExecutionModuleAttribute"/> on a module type.</summary>
    public static string NameOf(Type moduleType) =>
        moduleType.GetCustomAttribute<ExecutionModuleAttribute>()?.Name
        ?? throw new InvalidOperationException($"{moduleType.Name} has no [ExecutionModule] attribute");

    public bool Exists(string function) => _functions.ContainsKey(function);

    public ModuleFunction? Find(string function) => _functions.GetValueOrDefault(function);

    public async Task<FunctionResult> InvokeAsync(
        string function,
        IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs,
        ModuleContext context,
        CancellationToken cancellationToken)
    {
        if (!_functions.TryGetValue(function, out var declared))
        {
            return FunctionResult.Error($"'{function}' is not available.");
        }
        ModuleCall call;
        try
        {
            call = Bind(function, declared, args, kwargs, context);
        }
        catch (ModuleException e)
        {
            return FunctionResult.Error(e);
        }
        try
        {
            var value = Value(declared, await declared.Handler(call, cancellationToken).ConfigureAwait(false));
            return new FunctionResult(value, call.Retcode, call.Retcode == 0);
        }
        catch (ModuleException e)
        {
            return FunctionResult.Error(e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return FunctionResult.Error($"An exception occurred in '{function}': {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>A value in the canonical model; for a <see cref="ModuleFunction.SharesData"/> function, mappings and lists stay the same objects.</summary>
    private static object? Value(ModuleFunction declared, object? value) =>
        declared.SharesData && value is Dictionary<string, object?> or List<object?> ? value : DataTree.Normalize(value);

    /// <summary>Binds positional and keyword arguments to declared parameters, Salt-style.</summary>
    public static ModuleCall Bind(
        string function,
        ModuleFunction declared,
        IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs,
        ModuleContext context)
    {
        var bound = new Dictionary<string, object?>(StringComparer.Ordinal);
        var parameters = declared.Parameters;
        var extraArgs = new List<object?>();
        for (var i = 0; i < args.Count; i++)
        {
            if (i < parameters.Count)
            {
                bound[parameters[i].Name] = Value(declared, args[i]);
            }
            else if (declared.AcceptsExtraArgs)
            {
                extraArgs.Add(Value(declared, args[i]));
            }
            else
            {
                throw new ModuleException(
                    $"{function}() takes at most {parameters.Count} positional argument(s) but {args.Count} were given");
            }
        }
        var extraKwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in kwargs)
        {
            // Salt passes __pub_* and similar dunder keys along; they are never parameters.
            if (key.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }
            if (parameters.Any(p => p.Name == key))
            {
                if (bound.ContainsKey(key))
                {
                    throw new ModuleException($"{function}() got multiple values for argument '{key}'");
                }
                bound[key] = Value(declared, value);
            }
            else if (declared.AcceptsExtraArgs)
            {
                extraKwargs[key] = Value(declared, value);
            }
            else
            {
                throw new ModuleException($"{function}() got an unexpected keyword argument '{key}'");
            }
        }
        foreach (var parameter in parameters)
        {
            if (bound.ContainsKey(parameter.Name))
            {
                continue;
            }
            if (parameter.Required)
            {
                throw new ModuleException($"{function}() missing required argument: '{parameter.Name}'");
            }
            bound[parameter.Name] = DataTree.Normalize(parameter.Default);
        }
        return new ModuleCall(function, bound, args, kwargs, context)
        {
            ExtraArgs = extraArgs,
            ExtraKwargs = extraKwargs,
        };
    }
}
