using Orchestrator.Integration.Tests.Api;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// The browser tests' world, started once for the class: the API tests' cluster (a real master with <c>rest_api</c> on
/// a free loopback port, <c>file</c> eauth users, real minions web1, web2 and db1) serving a small state tree with
/// requisites, and one headless chromium.
/// </summary>
public sealed class ConsoleCluster : IAsyncLifetime
{
    /// <summary>The file eauth user with every right (ApiCluster's admin).</summary>
    public const string User = "admin";

    public const string Password = "adminpw";

    /// <summary>
    /// The SLS every minion gets: five states chained by require, watch and onchanges (the watch fires, so service shows
    /// changes); web2's check fails.
    /// </summary>
    private const string Sls = """
        packages:
          test.succeed_without_changes: []
        config:
          test.succeed_with_changes:
            - require:
              - test: packages
        service:
          test.succeed_without_changes:
            - watch:
              - test: config
        notify:
          test.succeed_with_changes:
            - onchanges:
              - test: config
        check:
          test.{{ 'fail_without_changes' if grains['id'] == 'web2' else 'succeed_without_changes' }}:
            - require:
              - test: service
        """;

    private readonly TempDir _files = new();

    public ApiCluster Api { get; private set; } = null!;

    public TestCluster Cluster => Api.Cluster;

    public ChromiumBrowser Browser { get; private set; } = null!;

    public Uri Address => Api.Address;

    public async Task InitializeAsync()
    {
        var states = _files.Combine("states");
        Directory.CreateDirectory(Path.Combine(states, "console"));
        await File.WriteAllTextAsync(Path.Combine(states, "top.sls"), "base:\n  '*':\n    - console\n");
        await File.WriteAllTextAsync(Path.Combine(states, "console", "init.sls"), Sls);
        Api = await ApiCluster.StartAsync(master: o => o.FileRoots["base"] = [states]);
        Browser = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
        _files.Dispose();
    }
}
