using Orchestrator.Minion.StateEngine;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>sys</c> module: what this minion can do, from the registry it runs in.</summary>
[ExecutionModule("sys")]
public sealed partial class SysModule : IExecutionModule
{
    public SysModule()
    {
        Functions =
        [
            new("argspec", "Return the declared arguments of functions: {fun: {args, defaults, kwargs, varargs}}. Accepts module names, " +
                "function names and globs.\n\nCLI Example: orch '*' sys.argspec cmd.run", [], Argspec, AcceptsExtraArgs: true),
            new("doc", "Return the docstrings of all functions, of a module or of single functions as {fun: doc}. Accepts globs.\n\n" +
                "CLI Example: orch '*' sys.doc\norch '*' sys.doc cmd\norch '*' sys.doc cmd.run 'test.*'", [], DocFn,
                AcceptsExtraArgs: true, Outputter: "doc"),
            new("list_functions", "List the functions of all modules or of the named modules (globs allowed), sorted.\n\n" +
                "CLI Example: orch '*' sys.list_functions\norch '*' sys.list_functions sys user", [], ListFunctions,
                AcceptsExtraArgs: true),
            new("list_modules", "List the execution modules loaded on the minion, optionally filtered by globs.\n\n" +
                "CLI Example: orch '*' sys.list_modules 's*'", [], ListModules, AcceptsExtraArgs: true),
            new("list_state_modules", "List the state modules on the minion, optionally filtered by globs.\n\n" +
                "CLI Example: orch '*' sys.list_state_modules 'f*'", [], ListStateModules, AcceptsExtraArgs: true),
            new("list_state_functions", "List the functions of all state modules or of the named ones (globs allowed), sorted.\n\n" +
                "CLI Example: orch '*' sys.list_state_functions file pkg", [], ListStateFunctions, AcceptsExtraArgs: true),
            new("state_doc", "Return the docs of state modules and their functions as {name: doc}: all, a module (its own doc and its " +
                "functions'), single functions, or globs.\n\nCLI Example: orch '*' sys.state_doc\norch '*' sys.state_doc file.managed 'pkg.*'",
                [], StateDoc, AcceptsExtraArgs: true, Outputter: "doc"),
            .. RunnerFunctions(),
        ];
    }

    public string Doc => "Return data on the minion's execution modules: docs, functions, argument specs.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> DocFn(ModuleCall call, CancellationToken cancellationToken)
    {
        var docs = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, function) in Select(call))
        {
            docs[name] = function.Doc;
        }
        return Task.FromResult<object?>(docs.ToDictionary(StringComparer.Ordinal));
    }

    private static Task<object?> Argspec(ModuleCall call, CancellationToken cancellationToken)
    {
        var specs = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, function) in Select(call))
        {
            var optional = function.Parameters.Where(p => !p.Required).ToList();
            specs[name] = new Dictionary<string, object?>
            {
                ["args"] = function.Parameters.Select(p => (object?)p.Name).ToList(),
                ["defaults"] = optional.Count == 0 ? null : optional.Select(p => p.Default).ToList(),
                ["kwargs"] = function.AcceptsExtraArgs,
                ["varargs"] = function.AcceptsExtraArgs,
            };
        }
        return Task.FromResult<object?>(specs.ToDictionary(StringComparer.Ordinal));
    }

    private static Task<object?> ListStateModules(ModuleCall call, CancellationToken cancellationToken)
    {
        var patterns = Patterns(call);
        return Task.FromResult<object?>(States(call).Modules.Keys
            .Where(m => patterns.Count == 0 || patterns.Any(p => Glob.Matches(p, m)))
            .Select(m => (object?)m)
            .ToList());
    }

    private static Task<object?> ListStateFunctions(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Chosen(States(call).FunctionNames, Patterns(call)).Select(f => (object?)f).ToList());

    private static Task<object?> StateDoc(ModuleCall call, CancellationToken cancellationToken)
    {
        var states = States(call);
        var patterns = Patterns(call);
        var docs = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        // As Salt's state_doc: a module named (or every module, with no argument) brings its own doc beside its functions'.
        foreach (var (module, instance) in states.Modules)
        {
            if (patterns.Count == 0 || patterns.Any(p => p == module || p == module + "." || (Glob.IsPattern(p) && !p.Contains('.') && Glob.Matches(p, module))))
            {
                docs[module] = instance.Doc;
            }
        }
        foreach (var name in Chosen(states.FunctionNames, patterns))
        {
            docs[name] = states.Find(name)!.Doc;
        }
        return Task.FromResult<object?>(docs.ToDictionary(StringComparer.Ordinal));
    }

    private static StateModuleRegistry States(ModuleCall call) =>
        Registry(call).Modules.GetValueOrDefault("state") is StateModule state
            ? state.States
            : throw new ModuleException("sys: the state module is not loaded on this minion");

    private static Task<object?> ListFunctions(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Select(call).Select(f => (object?)f.Name).ToList());

    private static Task<object?> ListModules(ModuleCall call, CancellationToken cancellationToken)
    {
        var patterns = Patterns(call);
        var names = Registry(call).Modules.Keys
            .Where(m => patterns.Count == 0 || patterns.Any(p => Glob.Matches(p, m)))
            .Select(m => (object?)m)
            .ToList();
        return Task.FromResult<object?>(names);
    }

    /// <summary>The functions named by the call's arguments: all, whole modules (<c>cmd</c>, <c>cmd.</c>), functions, or globs of either.</summary>
    private static List<(string Name, ModuleFunction Function)> Select(ModuleCall call)
    {
        var registry = Registry(call);
        return Chosen(registry.FunctionNames, Patterns(call)).Select(name => (name, registry.Find(name)!)).ToList();
    }

    /// <summary>The function names that the patterns select (all when there is none).</summary>
    private static List<string> Chosen(IEnumerable<string> functions, List<string> patterns) =>
        functions.Where(name => patterns.Count == 0 || patterns.Any(pattern => Selects(pattern, name))).ToList();

    private static bool Selects(string pattern, string function)
    {
        var module = function[..function.IndexOf('.')];
        if (Glob.IsPattern(pattern))
        {
            return Glob.Matches(pattern, function) || (!pattern.Contains('.') && Glob.Matches(pattern, module));
        }
        return pattern == function || pattern == module || pattern == module + ".";
    }

    private static List<string> Patterns(ModuleCall call) =>
        call.ExtraArgs.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").Where(a => a.Length > 0).ToList();

    private static ExecutionModuleRegistry Registry(ModuleCall call) =>
        call.Context.Modules as ExecutionModuleRegistry
        ?? throw new ModuleException("sys: the module registry is not available in this context");
}
