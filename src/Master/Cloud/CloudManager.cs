using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// Creates, lists and destroys cloud nodes as salt-cloud does, firing its <c>salt/cloud/&lt;name&gt;/...</c> events. A
/// node's key is made here and placed as accepted before its minion starts (never pending); create returns once the
/// master has the minion's <c>salt/minion/&lt;name&gt;/start</c>. A create that fails undoes every step it took.
/// </summary>
public sealed partial class CloudManager(
    MasterOptions options, KeyStore keys, KeyManager keyManager, EventBus events, MasterTransport transport, RsaKeyPair masterKey,
    ILogger<CloudManager> logger, TimeProvider time)
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private const string Marker = ".orch-cloud-node";

    // Salt allows any minion id; a node's name also names a directory, a namespace and a process, so hostnames only.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex NodeName();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CloudNodeStore _store = new(options.CacheDir);

    /// <summary>The providers and profiles as configured right now.</summary>
    public CloudConfig Config() => CloudConfig.Load(options.Raw, options.ConfigDir);

    /// <summary>The recorded nodes.</summary>
    public IReadOnlyList<CloudNode> Nodes() => _store.List();

    /// <summary>Whether the node's minion process runs.</summary>
    public static bool IsRunning(CloudNode node) => node.Pid is { } pid && MinionProcess.IsRunning(pid, node.RootDir);

    /// <summary>Creates one node and waits for its minion's start event; returns Salt's description of the new node.</summary>
    /// <exception cref="ArgumentException">The name is invalid or taken (by a node or a minion key), or the config is wrong.</exception>
    /// <exception cref="InvalidOperationException">A step failed (after everything done so far was undone).</exception>
    public async Task<Dictionary<string, object?>> CreateAsync(CloudVm vm, CancellationToken cancellationToken)
    {
        var driver = Driver(vm.Provider.Driver);
        var binary = MinionBinary(vm);
        var startTimeout = vm.Settings.GetValueOrDefault("start_timeout") is long seconds && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : DefaultStartTimeout;
        var started = Stopwatch.StartNew();
        var node = await ReserveAsync(vm, cancellationToken).ConfigureAwait(false);
        CloudLog.Creating(logger, vm.Name, vm.Profile, vm.Provider.FullName);
        Fire(vm.Name, "creating", "starting create", Describe(vm));
        var keyPlaced = false;
        try
        {
            node = await driver.PrepareAsync(vm, node, _store.List().Where(n => n.Name != vm.Name).ToList(), cancellationToken).ConfigureAwait(false);
            _store.Save(node);
            Fire(vm.Name, "requesting", "requesting instance", new(Describe(vm), StringComparer.Ordinal)
            {
                ["root_dir"] = node.RootDir,
                ["master"] = node.MasterAddress,
                ["address"] = node.Address,
            });
            var publicPem = WriteMinionRoot(vm, node);
            PlaceAcceptedKey(vm.Name, publicPem);
            keyPlaced = true;
            using var start = events.Subscribe(tag => tag == EventTag.MinionStart(vm.Name), capacity: 16);
            var pid = await MinionProcess.StartAsync(
                driver.Command(node, binary), Path.Combine(node.RootDir, "minion.out"), node.PidFile, cancellationToken).ConfigureAwait(false);
            node = node with { Pid = pid };
            _store.Save(node);
            CloudLog.Started(logger, vm.Name, pid, node.RootDir);
            await WaitForStartAsync(start, node, startTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CloudLog.CreateFailed(logger, vm.Name, e.Message);
            await UndoAsync(node, driver, keyPlaced).ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }
            throw new InvalidOperationException($"creating {vm.Name} failed: {e.Message}", e);
        }
        Fire(vm.Name, "created", "created instance", Describe(vm));
        CloudLog.Created(logger, vm.Name, started.ElapsedMilliseconds);
        var info = NodeInfo(node, running: true);
        info["deployed"] = true;
        info["provider"] = vm.Provider.FullName;
        info["root_dir"] = node.RootDir;
        info["pid"] = (long)node.Pid!.Value;
        return info;
    }

    /// <summary>Destroys a recorded node: its minion stops, its key is deleted, its network and root dir are removed.</summary>
    /// <returns>Salt's per-node destroy return (true).</returns>
    public async Task<object?> DestroyAsync(CloudNode node, CancellationToken cancellationToken)
    {
        var driver = Driver(node.Driver);
        CloudLog.Destroying(logger, node.Name, $"{node.Provider}:{node.Driver}");
        Fire(node.Name, "destroying", "destroying instance", new(StringComparer.Ordinal) { ["name"] = node.Name });
        var ended = node.Pid is { } pid
            ? await MinionProcess.StopAsync(pid, node.RootDir, StopGrace, cancellationToken).ConfigureAwait(false)
            : "never started";
        // After the process is gone: a running minion whose key vanished would come back as a pending key.
        if (keys.StateOf(node.Name) is not null)
        {
            keyManager.Delete(node.Name);
        }
        await driver.TeardownAsync(node, cancellationToken).ConfigureAwait(false);
        RemoveRoot(node);
        _store.Delete(node.Name);
        Fire(node.Name, "destroyed", "destroyed instance", new(StringComparer.Ordinal) { ["name"] = node.Name });
        CloudLog.Destroyed(logger, node.Name, ended);
        return true;
    }

    /// <summary>Salt's <c>list_nodes</c> fields of a node: id, image, private_ips, public_ips, size, state.</summary>
    public static Dictionary<string, object?> NodeInfo(CloudNode node, bool running) => new(StringComparer.Ordinal)
    {
        ["id"] = node.Name,
        ["image"] = node.Profile ?? "",
        ["private_ips"] = new List<object?> { node.Address ?? node.MasterAddress ?? "127.0.0.1" },
        ["public_ips"] = new List<object?>(),
        ["size"] = "",
        ["state"] = running ? "running" : node.Pid is null ? "creating" : "stopped",
    };

    private async Task<CloudNode> ReserveAsync(CloudVm vm, CancellationToken cancellationToken)
    {
        if (!NodeName().IsMatch(vm.Name) || NameValidator.CheckMinionId(vm.Name) is not null)
        {
            throw new ArgumentException($"'{vm.Name}' is not a valid node name: letters, digits, '.', '-' and '_', starting with a letter or digit, at most 63");
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Find(vm.Name) is { } existing)
            {
                throw new ArgumentException($"{vm.Name} already exists under {existing.Provider}:{existing.Driver}");
            }
            if (keys.StateOf(vm.Name) is { } state)
            {
                throw new ArgumentException(
                    $"a minion key for {vm.Name} already exists on the master ({state.ToString().ToLowerInvariant()}); delete it first with: orch key -d {vm.Name}");
            }
            var rootBase = vm.Settings.GetValueOrDefault("root_dir") is { } r && DataTree.KeyToString(r) is { Length: > 0 } dir
                ? dir : Path.Combine(options.CacheDir, "cloud");
            var root = Path.GetFullPath(Path.Combine(rootBase, vm.Name));
            if (Path.Exists(root))
            {
                throw new ArgumentException($"{root} already exists; {vm.Name} needs a root dir of its own");
            }
            Directory.CreateDirectory(rootBase);
            PrivateFiles.EnsureDirectory(root);
            File.WriteAllText(Path.Combine(root, Marker), vm.Name);
            var node = new CloudNode(vm.Name, vm.Provider.Alias, vm.Provider.Driver, vm.Profile, root,
                time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            _store.Save(node);
            return node;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string WriteMinionRoot(CloudVm vm, CloudNode node)
    {
        var pki = Path.Combine(node.RootDir, "pki");
        PrivateFiles.EnsureDirectory(pki);
        using var identity = RsaKeyPair.LoadOrCreate(Path.Combine(pki, "minion.pem"), Path.Combine(pki, "minion.pub"));
        // Pinned before the first contact, as salt-cloud preseeds minion_master.pub: the node trusts only this master.
        File.WriteAllText(Path.Combine(pki, "minion_master.pub"), masterKey.PublicPem);
        var config = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = vm.Name,
            ["master"] = node.MasterAddress,
            ["master_port"] = (long)transport.RetPort,
            ["publish_port"] = (long)transport.PublishPort,
            ["pki_dir"] = pki,
            ["cachedir"] = Path.Combine(node.RootDir, "cache"),
            ["sock_dir"] = Path.Combine(node.RootDir, "sock"),
            ["log_file"] = Path.Combine(node.RootDir, "minion.log"),
        };
        var minion = vm.MinionOptions;
        var grains = minion.GetValueOrDefault("grains") as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
        DictUpdate.Update(config, minion);
        // Salt's cloud grains, which tell a node's profile and provider (saltify's destroy reads them).
        grains["salt-cloud"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["driver"] = vm.Provider.Driver,
            ["profile"] = vm.Profile,
            ["provider"] = vm.Provider.FullName,
        };
        config["grains"] = grains;
        // The key is placed under the node's name: a different id in minion: options would leave it pending forever.
        config["id"] = vm.Name;
        var path = Path.Combine(node.RootDir, "minion");
        PrivateFiles.EnsureFile(path);
        File.WriteAllText(path, PyYaml.Dump(config, defaultFlowStyle: false));
        return identity.PublicPem;
    }

    private void PlaceAcceptedKey(string name, string publicPem)
    {
        lock (_store)
        {
            if (keys.StateOf(name) is { } state)
            {
                throw new InvalidOperationException($"a minion key for {name} appeared on the master ({state}) while it was being created");
            }
            if (keys.Observe(name, publicPem, autoAccept: true) != KeyState.Accepted)
            {
                throw new InvalidOperationException($"the master did not accept the key of {name}");
            }
        }
        events.Publish(EventTag.Key, new(StringComparer.Ordinal) { ["id"] = name, ["act"] = "accept", ["result"] = true });
    }

    private static async Task WaitForStartAsync(EventSubscription start, CloudNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var read = start.Reader.ReadAsync(timer.Token).AsTask();
        while (!read.IsCompleted)
        {
            // A minion that exits at once (a bad config value) fails the create now, not after the whole timeout.
            if (!MinionProcess.IsRunning(node.Pid!.Value, node.RootDir))
            {
                throw new InvalidOperationException($"the minion exited before it connected: {Tail(Path.Combine(node.RootDir, "minion.out"))}");
            }
            await Task.WhenAny(read, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
        }
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"no salt/minion/{node.Name}/start within {timeout.TotalSeconds:0} s (its log: {Path.Combine(node.RootDir, "minion.log")})");
        }
    }

    private async Task UndoAsync(CloudNode node, ICloudDriver driver, bool keyPlaced)
    {
        async Task Step(string name, Func<Task> action)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                CloudLog.RollbackStepFailed(logger, node.Name, name, e.Message);
            }
        }
        var pid = node.Pid ?? MinionProcess.ReadPid(node.PidFile);
        if (pid is { } p)
        {
            await Step("stopping the minion", () => MinionProcess.StopAsync(p, node.RootDir, StopGrace, CancellationToken.None)).ConfigureAwait(false);
        }
        if (keyPlaced)
        {
            await Step("deleting its key", () => Task.FromResult(keyManager.Delete(node.Name))).ConfigureAwait(false);
        }
        await Step("removing its network", () => driver.TeardownAsync(node, CancellationToken.None)).ConfigureAwait(false);
        await Step("removing its root dir", () => Task.Run(() => RemoveRoot(node))).ConfigureAwait(false);
        await Step("forgetting it", () => Task.Run(() => _store.Delete(node.Name))).ConfigureAwait(false);
    }

    /// <summary>Removes a node's root only when it carries this node's marker: never a directory this did not create.</summary>
    private static void RemoveRoot(CloudNode node)
    {
        var marker = Path.Combine(node.RootDir, Marker);
        if (File.Exists(marker) && File.ReadAllText(marker) == node.Name)
        {
            Directory.Delete(node.RootDir, recursive: true);
        }
    }

    private ICloudDriver Driver(string name) => name switch
    {
        "local" => new LocalDriver(options),
        "netns" => new NetnsDriver(options, logger),
        _ => throw new ArgumentException($"unknown cloud driver '{name}' (drivers: local, netns)"),
    };

    private static string MinionBinary(CloudVm vm)
    {
        var binary = vm.Settings.GetValueOrDefault("minion_binary") is { } b && DataTree.KeyToString(b) is { Length: > 0 } given
            ? Path.GetFullPath(given) : Path.Combine(AppContext.BaseDirectory, "orch-minion");
        return File.Exists(binary)
            ? binary
            : throw new ArgumentException($"the minion binary {binary} does not exist (set minion_binary in provider {vm.Provider.Alias})");
    }

    private static Dictionary<string, object?> Describe(CloudVm vm) => new(StringComparer.Ordinal)
    {
        ["name"] = vm.Name,
        ["profile"] = vm.Profile,
        ["provider"] = vm.Provider.FullName,
        ["driver"] = vm.Provider.Driver,
    };

    private void Fire(string name, string task, string message, Dictionary<string, object?> data)
    {
        data["event"] = message;
        events.Publish($"salt/cloud/{name}/{task}", data);
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(5));
        }
        catch (IOException)
        {
            return "(no output)";
        }
    }
}
