using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// Salt's reactor on the master: every bus event whose tag matches a rule of <c>reactor:</c> (in order; several may
/// match) is queued for that rule on a bounded queue served by <c>reactor_worker_threads</c> workers, which render the
/// rule's SLS files with the event and run the actions they give.
/// </summary>
/// <remarks>
/// Storms: a full queue drops the new match (counted, logged at most every 10 s); each rule runs at most
/// <c>reactor_rate_limit</c> actions per window, and a rule whose budget is spent skips even rendering; the same rule
/// rendering the same action within <c>reactor_dedup_window</c> runs it once. Loops: as in Salt, events carrying
/// <c>user: Reactor</c> (the jobs, runner and wheel calls the reactor starts, its own error events) are never reacted to;
/// other events an action causes (a job's returns, a key event) may match again, and the rate limit bounds such a loop.
/// </remarks>
public sealed class ReactorEngine : IDisposable
{
    /// <summary>The user of everything the reactor starts (Salt's ReactWrap.event_user).</summary>
    public const string User = "Reactor";

    /// <summary>
    /// Fired when a reactor SLS cannot be read, rendered or compiled, or an action fails. Under <c>salt/</c>, so no minion
    /// can forge it.
    /// </summary>
    public const string ErrorTag = EventTag.Prefix + "reactor/error";

    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    private readonly ReactorOptions _options;
    private readonly EventBus _bus;
    private readonly ReactionRenderer _renderer;
    private readonly IReactionExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<WorkItem> _queue;
    private readonly ReactorRateLimiter _limiter;
    private readonly ReactorDeduplicator _dedup;
    private readonly ReactorDeduplicator _reported;
    private readonly LogThrottle _throttle;
    private readonly Lock _admit = new();
    private readonly Lock _rulesLock = new();
    private ReactorRule[] _rules;
    private EventSubscription? _subscription;

    private sealed record WorkItem(MasterEvent Event, ReactorRule Rule);

    private enum Admission
    {
        Run,
        Duplicate,
        RateLimited,
    }

    public ReactorEngine(
        MasterOptions options, EventBus bus, ReactionRenderer renderer, IReactionExecutor executor, TimeProvider time,
        ILogger<ReactorEngine> logger)
    {
        _options = options.Reactor;
        _bus = bus;
        _renderer = renderer;
        _executor = executor;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _limiter = new ReactorRateLimiter(_options.RateLimitCount, _options.RateLimitPer, time);
        _dedup = new ReactorDeduplicator(_options.DedupWindow, time);
        _reported = new ReactorDeduplicator(ReportEvery, time);
        _throttle = new LogThrottle(time, ReportEvery);
        Firings = new ReactorFirings(time);
        _rules = [.. _options.Rules];
        if (_options.MapFile is not null)
        {
            LoadMapFile();
        }
    }

    public ReactorStats Stats { get; } = new();

    /// <summary>The latest actions the reactor ran, skipped or failed.</summary>
    public ReactorFirings Firings { get; }

    /// <summary>Matched events waiting for a worker.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>The rules in force, in order.</summary>
    public IReadOnlyList<ReactorRule> Rules => Volatile.Read(ref _rules);

    /// <summary>Subscribes to the bus; events published from now on are matched.</summary>
    public void Start()
    {
        if (_subscription is not null)
        {
            return;
        }
        _subscription = _bus.Subscribe(tag => Array.Exists(Volatile.Read(ref _rules), r => r.Matches(tag)), _options.QueueCapacity);
        ReactorLog.Started(_logger, Rules.Count, _options.WorkerThreads, _options.QueueCapacity, _limiter.Count,
            _limiter.Per.TotalSeconds, _dedup.Window.TotalSeconds);
    }

    /// <summary>
    /// Moves matching events to the work queue and runs the workers until cancelled; then what is still queued is dropped
    /// (counted), and an action running is cancelled.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Start();
        var loops = new List<Task> { Task.Run(() => ReadAsync(cancellationToken), cancellationToken) };
        if (_options.MapFile is not null)
        {
            loops.Add(Task.Run(() => RefreshMapAsync(cancellationToken), cancellationToken));
        }
        for (var i = 0; i < _options.WorkerThreads; i++)
        {
            loops.Add(Task.Run(() => WorkAsync(cancellationToken), cancellationToken));
        }
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            var left = 0;
            while (_queue.Reader.TryRead(out _))
            {
                left++;
            }
            Stats.CountDropped(left);
            ReactorLog.Stopped(_logger, left);
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _subscription!.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                Offer(e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ReactorLog.WorkerFailed(_logger, ex, e.Tag);
            }
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ProcessAsync(item, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ReactorLog.WorkerFailed(_logger, ex, item.Event.Tag);
            }
        }
    }

    /// <summary>Queues one event for every rule it matches, unless the reactor itself caused it.</summary>
    internal void Offer(MasterEvent e)
    {
        // Salt's guard against reacting to itself: everything the reactor starts carries its user.
        if (e.Data.GetValueOrDefault("user") is User)
        {
            return;
        }
        foreach (var rule in Rules)
        {
            if (!rule.Matches(e.Tag))
            {
                continue;
            }
            Stats.CountMatched();
            if (!_queue.Writer.TryWrite(new WorkItem(e, rule)))
            {
                Stats.CountDropped();
                if (_throttle.ShouldLog("queue-full", out var hidden))
                {
                    ReactorLog.QueueFull(_logger, _options.QueueCapacity, hidden + 1, e.Tag);
                }
            }
        }
    }

    /// <summary>Runs what is queued on the calling thread until the queue is empty (tests).</summary>
    internal async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.TryRead(out var item))
        {
            await ProcessAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var rule = item.Rule;
        if (_limiter.IsExhausted(rule.Key))
        {
            // Whatever the files would give could not run: skip the render, the costly part of a storm.
            Stats.CountRateLimited();
            LogRateLimited(rule);
            return;
        }
        foreach (var file in _renderer.Render(rule, item.Event.Tag, item.Event.Data))
        {
            foreach (var warning in file.Warnings)
            {
                if (_throttle.ShouldLog(warning, out _))
                {
                    ReactorLog.ArgumentIgnored(_logger, warning);
                }
            }
            if (file.Errors.Count > 0)
            {
                Stats.CountRenderError();
            }
            foreach (var error in file.Errors)
            {
                Report(error, item.Event.Tag, () => ReactorLog.RenderFailed(_logger, error.Rule, error.File, error.Line, item.Event.Tag, error.Message));
            }
            foreach (var action in file.Actions)
            {
                await RunAsync(rule, action, item.Event.Tag, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(ReactorRule rule, ReactorAction action, string tag, CancellationToken cancellationToken)
    {
        switch (Admit(rule, action))
        {
            case Admission.Duplicate:
                Stats.CountDeduplicated();
                Firings.Record(rule.Tag, tag, action, "deduplicated", "the same action ran within the de-duplication window");
                ReactorLog.Deduplicated(_logger, rule.Tag, action.Id, action.Fun);
                return;
            case Admission.RateLimited:
                Stats.CountRateLimited();
                Firings.Record(rule.Tag, tag, action, "rate_limited", "the rule's rate limit was reached");
                LogRateLimited(rule);
                return;
        }
        Stats.CountRun();
        try
        {
            var detail = await _executor.ExecuteAsync(action, cancellationToken).ConfigureAwait(false);
            Firings.Record(rule.Tag, tag, action, "ran", detail);
            ReactorLog.ActionRan(_logger, rule.Tag, action.Id, action.Fun, tag, detail);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Stats.CountFailed();
            Firings.Record(rule.Tag, tag, action, "failed", e.Message);
            var error = new ReactorError(rule.Tag, action.File, action.Line, $"{action.Fun} failed: {e.Message}", action.Id);
            Report(error, tag, () => ReactorLog.ActionFailed(_logger, rule.Tag, action.Id, action.File, action.Line, action.Fun, tag, e.Message));
        }
    }

    private Admission Admit(ReactorRule rule, ReactorAction action)
    {
        var key = action.DedupKey;
        lock (_admit)
        {
            if (_dedup.IsDuplicate(rule.Key, key))
            {
                return Admission.Duplicate;
            }
            if (!_limiter.TryAcquire(rule.Key))
            {
                return Admission.RateLimited;
            }
            _dedup.Record(rule.Key, key);
            return Admission.Run;
        }
    }

    private void LogRateLimited(ReactorRule rule)
    {
        if (_throttle.ShouldLog("rate:" + rule.Key, out var hidden))
        {
            ReactorLog.RateLimited(_logger, rule.Tag, _limiter.Count, _limiter.Per.TotalSeconds, hidden + 1);
        }
    }

    /// <summary>Logs an error and fires it on the bus; the same error again within a few seconds is only counted.</summary>
    private void Report(ReactorError error, string tag, Action log)
    {
        var text = error.Describe();
        if (_reported.IsDuplicate(error.Rule, text))
        {
            return;
        }
        _reported.Record(error.Rule, text);
        log();
        var data = error.ToData();
        data["tag"] = tag;
        data["message"] = text;
        data["user"] = User;
        _bus.Publish(ErrorTag, data);
    }

    /// <summary>
    /// What an event would do (<c>reactor.test</c>): the rules it matches and the actions their files render to, each
    /// with whether it would run now; nothing runs, and no budget or window is touched.
    /// </summary>
    public Dictionary<string, object?> Test(string tag, Dictionary<string, object?> data)
    {
        var matched = Rules.Where(r => r.Matches(tag)).ToList();
        var actions = new List<object?>();
        var errors = new List<object?>();
        var warnings = new List<object?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in matched)
        {
            foreach (var file in _renderer.Render(rule, tag, data))
            {
                errors.AddRange(file.Errors.Select(e => (object?)e.ToData()));
                warnings.AddRange(file.Warnings);
                foreach (var action in file.Actions)
                {
                    var described = action.Describe();
                    described["would"] = Peek(rule, action, seen);
                    actions.Add(described);
                }
            }
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tag"] = tag,
            ["rules"] = matched.Select(r => (object?)r.Describe()).ToList(),
            ["actions"] = actions,
        };
        if (data.GetValueOrDefault("user") is User)
        {
            result["skipped"] = $"events with user: {User} come from the reactor itself and are not reacted to";
        }
        if (errors.Count > 0)
        {
            result["errors"] = errors;
        }
        if (warnings.Count > 0)
        {
            result["warnings"] = warnings;
        }
        return result;
    }

    private string Peek(ReactorRule rule, ReactorAction action, HashSet<string> seen)
    {
        var key = action.DedupKey;
        lock (_admit)
        {
            if (!seen.Add(rule.Key + "\n" + key) || _dedup.IsDuplicate(rule.Key, key))
            {
                return "skip: the same action ran within the de-duplication window";
            }
            return _limiter.IsExhausted(rule.Key) ? "skip: the rule's rate limit is reached" : "run";
        }
    }

    /// <summary>Salt's <c>reactor.add</c>: appends a rule unless one has that tag.</summary>
    public Dictionary<string, object?> Add(string tag, IReadOnlyList<string> files)
    {
        if (_options.MapFile is not null)
        {
            return Outcome(false, $"Reactors are read from {_options.MapFile}: edit that file.");
        }
        lock (_rulesLock)
        {
            if (_rules.Any(r => r.Tag == tag))
            {
                return Outcome(false, "Reactor already exists.");
            }
            var rule = new ReactorRule(tag, files);
            Volatile.Write(ref _rules, [.. _rules, rule]);
            ReactorLog.RuleChanged(_logger, "added", rule.Key);
        }
        return Outcome(true, "Reactor added.");
    }

    /// <summary>Salt's <c>reactor.delete</c>: removes the rule with that tag.</summary>
    public Dictionary<string, object?> Delete(string tag)
    {
        if (_options.MapFile is not null)
        {
            return Outcome(false, $"Reactors are read from {_options.MapFile}: edit that file.");
        }
        lock (_rulesLock)
        {
            var rule = _rules.FirstOrDefault(r => r.Tag == tag);
            if (rule is null)
            {
                return Outcome(false, "Reactor does not exists.");
            }
            Volatile.Write(ref _rules, _rules.Where(r => r != rule).ToArray());
            ReactorLog.RuleChanged(_logger, "deleted", rule.Key);
        }
        return Outcome(true, "Reactor deleted.");
    }

    private static Dictionary<string, object?> Outcome(bool status, string comment) =>
        new(StringComparer.Ordinal) { ["status"] = status, ["comment"] = comment };

    private async Task RefreshMapAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RefreshInterval > TimeSpan.Zero ? _options.RefreshInterval : TimeSpan.FromSeconds(1), _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            LoadMapFile();
        }
    }

    private void LoadMapFile()
    {
        var path = _options.MapFile!;
        try
        {
            var rules = ReactorOptions.ParseMap(YamlLoader.Load(File.ReadAllText(path), path));
            lock (_rulesLock)
            {
                Volatile.Write(ref _rules, [.. rules]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException
            or Shared.Rendering.Yaml.YamlLoadException)
        {
            ReactorLog.MapFileFailed(_logger, path, e.Message);
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
