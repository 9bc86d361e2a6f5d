using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Testing;

/// <summary>A process runner that records requests and answers from a script instead of running anything.</summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    private readonly List<ProcessRequest> _requests = [];
    private readonly List<(Func<ProcessRequest, bool> Match, Func<ProcessRequest, ProcessResult> Reply)> _replies = [];

    public IReadOnlyList<ProcessRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The command lines run so far (<c>tool arg1 arg2</c>).</summary>
    public IReadOnlyList<string> CommandLines => Requests.Select(r => string.Join(' ', r.Arguments.Prepend(r.FileName))).ToList();

    /// <summary>Answers requests whose command line starts with <paramref name="prefix"/>; the latest matching rule wins.</summary>
    public FakeProcessRunner On(string prefix, int exitCode = 0, string stdout = "", string stderr = "") =>
        On(r => string.Join(' ', r.Arguments.Prepend(r.FileName)).StartsWith(prefix, StringComparison.Ordinal),
            _ => new ProcessResult(4242, exitCode, stdout, stderr));

    public FakeProcessRunner On(Func<ProcessRequest, bool> match, Func<ProcessRequest, ProcessResult> reply)
    {
        _replies.Add((match, reply));
        return this;
    }

    public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_requests)
        {
            _requests.Add(request);
        }
        for (var i = _replies.Count - 1; i >= 0; i--)
        {
            if (_replies[i].Match(request))
            {
                return Task.FromResult(_replies[i].Reply(request));
            }
        }
        return Task.FromResult(new ProcessResult(4242, 0, string.Empty, string.Empty));
    }
}
