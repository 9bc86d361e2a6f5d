using System.Reflection;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>test</c> module: functions for checking that a minion answers and that arguments arrive intact.</summary>
[ExecutionModule("test")]
public sealed class TestModule : IExecutionModule
{
    public TestModule()
    {
        Functions =
        [
            new("arg", "Return the positional and keyword arguments the function received, as {args, kwargs}.\n\n" +
                "CLI Example: orch '*' test.arg 1 \"two\" 3.1 txt=hello wow='{a: 1, b: \"hello\"}'", [], Arg, AcceptsExtraArgs: true),
            new("echo", "Return the string passed in.\n\nCLI Example: orch '*' test.echo 'foo bar baz quo qux'", [Req("text")], Echo),
            new("exception", "Raise an exception, to test how errors are returned.\n\nCLI Example: orch '*' test.exception 'Oh noes!'",
                [Opt("message", "Test Exception")], RaiseException),
            new("false", "Always return False.\n\nCLI Example: orch '*' test.false", [], False),
            new("false_", "Always return False (the Python name of test.false).", [], False),
            new("kwarg", "Return the keyword arguments passed in.\n\nCLI Example: orch '*' test.kwarg num=1 txt=\"two\"", [], Kwarg,
                AcceptsExtraArgs: true),
            new("ping", "Return True: the minion is up and responding.\n\nCLI Example: orch '*' test.ping", [], Ping),
            new("retcode", "Return True and set the job's retcode to the given code (default 42).\n\nCLI Example: orch '*' test.retcode 42",
                [Opt("code", 42L)], Retcode),
            new("sleep", "Sleep for the given number of seconds (fractions allowed) and return True; killing the job stops it.\n\n" +
                "CLI Example: orch '*' test.sleep 20", [Req("length")], SleepAsync),
            new("true", "Always return True.\n\nCLI Example: orch '*' test.true", [], True),
            new("true_", "Always return True (the Python name of test.true).", [], True),
            new("version", "Return the version of the minion software.\n\nCLI Example: orch '*' test.version", [], Version),
        ];
    }

    public string Doc => "Module for running arbitrary tests: ping, echo, sleep, arguments and error paths.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> Ping(ModuleCall call, CancellationToken cancellationToken) => Task.FromResult<object?>(true);

    private static Task<object?> True(ModuleCall call, CancellationToken cancellationToken) => Task.FromResult<object?>(true);

    private static Task<object?> False(ModuleCall call, CancellationToken cancellationToken) => Task.FromResult<object?>(false);

    private static Task<object?> Echo(ModuleCall call, CancellationToken cancellationToken) => Task.FromResult<object?>(call.GetString("text"));

    private static Task<object?> Arg(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(new Dictionary<string, object?>
        {
            ["args"] = call.Args.ToList(),
            ["kwargs"] = call.Kwargs.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        });

    private static Task<object?> Kwarg(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(call.Kwargs.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));

    private static Task<object?> Retcode(ModuleCall call, CancellationToken cancellationToken)
    {
        call.Retcode = (int)(call.GetInt("code") ?? 42);
        return Task.FromResult<object?>(true);
    }

    private static Task<object?> RaiseException(ModuleCall call, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(call.GetString("message"));

    private static async Task<object?> SleepAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var seconds = call.GetDouble("length") ?? 0;
        if (seconds < 0)
        {
            throw new ModuleException("test.sleep: length must not be negative");
        }
        await Task.Delay(TimeSpan.FromSeconds(seconds), call.Context.Time, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static Task<object?> Version(ModuleCall call, CancellationToken cancellationToken)
    {
        var assembly = typeof(TestModule).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        // Drop the "+<commit>" build metadata the SDK appends.
        return Task.FromResult<object?>(version.Split('+')[0]);
    }
}
