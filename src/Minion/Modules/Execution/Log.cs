using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>log</c> module (logmod): write a message to the minion's log from a template; every function returns None.</summary>
[ExecutionModule("log")]
public sealed class LogModule : IExecutionModule
{
    private readonly ILogger _logger;

    /// <param name="logger">Where the messages go (the minion's log); none are kept when null.</param>
    public LogModule(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Functions =
        [
            Level("critical", "CRITICAL", ExecutionLog.TemplateCritical),
            Level("debug", "DEBUG", ExecutionLog.TemplateDebug),
            Level("error", "ERROR", ExecutionLog.TemplateError),
            Level("exception", "EXCEPTION", ExecutionLog.TemplateError),
            Level("info", "INFO", ExecutionLog.TemplateInfo),
            Level("warning", "WARNING", ExecutionLog.TemplateWarning),
        ];
    }

    public string Doc => "On-demand logging: log messages in the minion, handy when debugging complex Jinja templates, e.g. " +
        "{%- do salt['log.info'](var) -%}.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private ModuleFunction Level(string name, string level, Action<ILogger, string> write) => new(
        name, $"Log message at level {level}.\n\nCLI Example: orch '*' log.{name} \"Please don't do that, this module is not for CLI use!\"",
        [Req("message")],
        (call, _) =>
        {
            write(_logger, PyText.Str(call["message"]));
            return Task.FromResult<object?>(null);
        });
}
