using System.Reflection;
using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules;

public sealed partial class BuiltinModulesConventionTests
{
    private static readonly Assembly MinionAssembly = typeof(ExecutionModuleRegistry).Assembly;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    private static ExecutionModuleRegistry Builtins() =>
        new ExecutionModuleRegistry().AddBuiltinModules(new() { ProcessRunner = new FakeProcessRunner() });

    private static IEnumerable<Type> Concrete<T>() =>
        MinionAssembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });

    [Fact]
    public void EveryExecutionModuleType_IsRegisteredInBuiltinModules()
    {
        var declared = MinionAssembly.GetTypes().Where(t => t.GetCustomAttribute<ExecutionModuleAttribute>() is not null).ToList();
        var registered = Builtins().Modules.Values.Select(m => m.GetType()).ToHashSet();
        Assert.NotEmpty(declared);
        Assert.All(declared, t => Assert.True(registered.Contains(t), $"{t.Name} is not registered in BuiltinModules"));
    }

    [Fact]
    public void EveryExecutionModuleType_HasAttributeAndImplementsInterface()
    {
        Assert.All(Concrete<IExecutionModule>(), t => Assert.NotNull(t.GetCustomAttribute<ExecutionModuleAttribute>()));
        Assert.All(MinionAssembly.GetTypes().Where(t => t.GetCustomAttribute<ExecutionModuleAttribute>() is not null),
            t => Assert.True(typeof(IExecutionModule).IsAssignableFrom(t), $"{t.Name} has [ExecutionModule] but is no IExecutionModule"));
    }

    [Fact]
    public void ModuleAndFunctionNames_AreUniqueSnakeCase()
    {
        var names = MinionAssembly.GetTypes()
            .Select(t => t.GetCustomAttribute<ExecutionModuleAttribute>()?.Name)
            .OfType<string>()
            .ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches(SnakeCase(), n));
        foreach (var (name, module) in Builtins().Modules)
        {
            var functions = module.Functions.Select(f => f.Name).ToList();
            Assert.True(functions.Count == functions.Distinct().Count(), $"{name} declares a function twice");
            Assert.All(functions, f => Assert.Matches(SnakeCase(), f));
        }
    }

    [Fact]
    public void EveryModuleAndFunction_HasADocLine()
    {
        foreach (var (name, module) in Builtins().Modules)
        {
            Assert.False(string.IsNullOrWhiteSpace(module.Doc), $"module {name} has no doc");
            foreach (var function in module.Functions)
            {
                Assert.False(string.IsNullOrWhiteSpace(function.Doc.Split('\n')[0]), $"{name}.{function.Name} has no doc line");
            }
        }
    }

    [Fact]
    public void EveryParameterName_IsSnakeCaseAndUnique()
    {
        foreach (var (name, module) in Builtins().Modules)
        {
            foreach (var function in module.Functions)
            {
                var parameters = function.Parameters.Select(p => p.Name).ToList();
                Assert.True(parameters.Count == parameters.Distinct().Count(), $"{name}.{function.Name} repeats a parameter");
                Assert.All(parameters, p => Assert.Matches(SnakeCase(), p));
                var firstOptional = function.Parameters.ToList().FindIndex(p => !p.Required);
                Assert.True(firstOptional < 0 || function.Parameters.Skip(firstOptional).All(p => !p.Required),
                    $"{name}.{function.Name} has a required parameter after an optional one");
            }
        }
    }

    [Fact]
    public void EveryGrainProvider_IsRegisteredOnceWithUniqueName()
    {
        var collector = new GrainsCollector().AddBuiltinGrains();
        var registered = collector.Providers.Select(p => p.GetType()).ToHashSet();
        Assert.All(Concrete<IGrainProvider>(), t => Assert.True(registered.Contains(t), $"{t.Name} is not registered in BuiltinModules"));
        var names = collector.Providers.Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void BuiltinGrainProviders_AreListedSorted()
    {
        var grainTypes = new GrainsCollector().AddBuiltinGrains().Providers.Select(p => p.GetType().Name).ToList();
        Assert.Equal(grainTypes.Order(StringComparer.Ordinal), grainTypes);
    }
}
